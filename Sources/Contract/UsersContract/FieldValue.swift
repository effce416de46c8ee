import StreamJSON

/// The value of a field after the "missing / wrong type / present" split of section 7 item 1.
enum FieldValue<Value> {
    /// Key absent, null, blank after trimming, or a parent that is not an object.
    case missing
    /// A present value of the wrong JSON type.
    case wrongType(JSONKind)
    /// A string, trimmed, mapped by the caller.
    case value(Value)
}
