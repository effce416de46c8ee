import Testing
import StreamJSON

@Suite("JSON test suite (test_parsing)")
struct JSONTestSuiteTests {
    @Test("the fixture directory is found and holds the suite")
    func directoryFound() {
        #expect(Fixtures.jsonTestSuiteFiles.count > 300)
    }

    @Test("y_ files are accepted, n_ files rejected, i_ files never crash", arguments: Fixtures.jsonTestSuiteFiles)
    func file(_ name: String) throws {
        let bytes = try Fixtures.jsonTestSuite(name)
        var parser = JSONParser()
        let accepted = parser.validate(bytes)
        if name.hasPrefix("y_") {
            #expect(accepted, "\(name) must be accepted")
        } else if name.hasPrefix("n_") {
            #expect(!accepted, "\(name) must be rejected")
        } else {
            #expect(accepted || !accepted)  // i_: implementation-defined; reaching here means no crash
        }
    }
}
