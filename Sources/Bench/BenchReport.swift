/// What one benchmark scenario measured: its figures, how it was run, and notes.
public struct BenchReport: Sendable, Hashable {
    /// The scenario, e.g. `transform`.
    public var scenario: String
    /// The measured figures, in display order.
    public var figures: [BenchFigure]
    /// How it was run: counts, knobs, commands (one item per line).
    public var setup: [String]
    /// Remarks: data lost, parts skipped and why.
    public var notes: [String]
    /// Whether the scenario did not run (with the reason in ``notes``).
    public var skipped: Bool

    /// Creates a report.
    public init(
        scenario: String, figures: [BenchFigure] = [], setup: [String] = [], notes: [String] = [],
        skipped: Bool = false
    ) {
        self.scenario = scenario
        self.figures = figures
        self.setup = setup
        self.notes = notes
        self.skipped = skipped
    }

    /// A skipped scenario with the reason.
    public static func skipped(_ scenario: String, reason: String) -> BenchReport {
        BenchReport(scenario: scenario, notes: ["skipped: \(reason)"], skipped: true)
    }

    /// The figure named `name`, if measured.
    public func figure(_ name: String) -> BenchFigure? {
        figures.first { $0.name == name }
    }

    /// The report as aligned text lines: setup, then `name  value  (target …; anchor)` per figure, then notes.
    public var text: String {
        var lines = ["== bench \(scenario)"]
        for item in setup { lines.append("   \(item)") }
        let nameWidth = figures.map(\.name.count).max() ?? 0
        let valueWidth = figures.map(\.valueText.count).max() ?? 0
        for figure in figures {
            var line = "   " + pad(figure.name, nameWidth) + "  " + padLeft(figure.valueText, valueWidth)
            var extras: [String] = []
            if figure.target != nil {
                let verdict = figure.meetsTarget == true ? "met" : "MISSED"
                extras.append("target \(figure.targetText): \(verdict)")
            }
            if let anchor = figure.anchor { extras.append(anchor) }
            if !extras.isEmpty { line += "   (" + extras.joined(separator: "; ") + ")" }
            lines.append(line)
        }
        for note in notes { lines.append("   note: \(note)") }
        return lines.joined(separator: "\n")
    }

    /// A summary table of several reports (Markdown), one row per figure.
    public static func summaryTable(_ reports: [BenchReport]) -> String {
        var lines = ["| scenario | figure | measured | target | met | anchor |", "| --- | --- | ---: | --- | --- | --- |"]
        for report in reports {
            if report.skipped {
                lines.append("| \(report.scenario) | — | skipped | — | — | \(report.notes.first ?? "") |")
                continue
            }
            for figure in report.figures {
                let met = figure.meetsTarget.map { $0 ? "yes" : "**no**" } ?? "—"
                lines.append(
                    "| \(report.scenario) | \(figure.name) | \(figure.valueText) | \(figure.targetText) | \(met) | "
                        + "\(figure.anchor ?? "") |")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
