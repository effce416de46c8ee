import Pipeline
import Foundation

/// Number formatting for benchmark reports: thousands separators, sensible decimals.
public enum BenchFormat {
    /// `1234567.8` → `1,234,568`; values under 100 keep one or two decimals (`3.25`, `12.5`).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        if abs(value) < 10 && value != value.rounded() { return String(format: "%.2f", value) }
        if abs(value) < 100 && value != value.rounded() { return String(format: "%.1f", value) }
        let rounded = Int(value.rounded())
        let digits = String(abs(rounded))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return rounded < 0 ? "-" + out : out
    }

    /// Bytes as MiB with one decimal.
    public static func mebibytes(_ bytes: Int) -> Double {
        Double(bytes) / Double(1 << 20)
    }
}
