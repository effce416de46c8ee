import StreamJSON

extension Secrets {
    /// Appends `value` as compact JSON with the secrets removed, recursively: every object that is the
    /// value of a `login` member loses `password`, `salt`, `md5`, `sha1` and `sha256`, every object that
    /// is the value of an `id` member loses `value` (keys compared after unescaping; duplicates too).
    /// Everything else is copied from the input text as it is.
    public static func writeScrubbedJSON(_ value: JSONValue, into out: inout [UInt8]) {
        write(value, context: .plain, into: &out)
    }

    /// The scrubbed JSON of `value` as bytes.
    public static func scrubbedJSON(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        writeScrubbedJSON(value, into: &out)
        return out
    }

    private enum Context { case plain, login, id }

    private static func isSecret(_ key: JSONValue, in context: Context) -> Bool {
        switch context {
        case .plain:
            return false
        case .id:
            return key.isString(equalTo: "value")
        case .login:
            return key.isString(equalTo: "password") || key.isString(equalTo: "salt")
                || key.isString(equalTo: "md5") || key.isString(equalTo: "sha1") || key.isString(equalTo: "sha256")
        }
    }

    private static func write(_ value: JSONValue, context: Context, into out: inout [UInt8]) {
        switch value.kind {
        case .object:
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in value.members where !isSecret(key, in: context) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: key.rawBytes)
                out.append(UInt8(ascii: ":"))
                let inner: Context =
                    member.kind != .object ? .plain
                    : key.isString(equalTo: "login") ? .login : key.isString(equalTo: "id") ? .id : .plain
                write(member, context: inner, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        case .array:
            out.append(UInt8(ascii: "["))
            var first = true
            for element in value.elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(element, context: .plain, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .null, .false, .true, .number, .string:
            out.append(contentsOf: value.rawBytes)
        }
    }
}
