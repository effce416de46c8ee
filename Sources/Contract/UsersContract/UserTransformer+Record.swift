import StreamJSON

extension UserTransformer {
    /// Applies sections 2 and 7 to one record (an object): emits a row or a dead letter.
    mutating func transformRecord(
        _ record: JSONValue, context: RecordContext, processedAt: Int64, emit: (consuming TransformOutcome) -> Void
    ) {
        // One pass over the record picks every member the rules read (the last duplicate wins).
        var login: JSONValue?, emailValue: JSONValue?, name: JSONValue?, gender: JSONValue?
        var location: JSONValue?, dob: JSONValue?, registered: JSONValue?, phone: JSONValue?
        var cell: JSONValue?, nat: JSONValue?, picture: JSONValue?
        record.forEachMember { key, value in
            switch key.count {
            case 3:
                if bytesEqual(key, "dob") { dob = value } else if bytesEqual(key, "nat") { nat = value }
            case 4:
                if bytesEqual(key, "name") { name = value } else if bytesEqual(key, "cell") { cell = value }
            case 5:
                if bytesEqual(key, "login") {
                    login = value
                } else if bytesEqual(key, "email") {
                    emailValue = value
                } else if bytesEqual(key, "phone") {
                    phone = value
                }
            case 6: if bytesEqual(key, "gender") { gender = value }
            case 7: if bytesEqual(key, "picture") { picture = value }
            case 8: if bytesEqual(key, "location") { location = value }
            case 10: if bytesEqual(key, "registered") { registered = value }
            default: break
            }
        }
        var uuidValue: JSONValue?, usernameValue: JSONValue?
        login?.forEachMember { key, value in
            if bytesEqual(key, "uuid") { uuidValue = value } else if bytesEqual(key, "username") { usernameValue = value }
        }

        // user_id (section 7 items 1, 5).
        let userID: String
        switch Self.trimmed(uuidValue, Self.userID) {
        case .missing:
            rejectRecord(record, .missingUserID, "login.uuid is missing", context, emit)
            return
        case .wrongType(let kind):
            rejectRecord(record, .invalidUserID, "login.uuid is a JSON \(kind), not a string", context, emit)
            return
        case .value(nil):
            rejectRecord(record, .invalidUserID, "login.uuid is not a UUID (8-4-4-4-12 hex digits)", context, emit)
            return
        case .value(let id?):
            userID = id
        }

        // email (section 7 item 6).
        let email: String
        switch Self.trimmed(emailValue, Self.email) {
        case .missing:
            rejectRecord(record, .missingEmail, "email is missing", context, emit)
            return
        case .wrongType(let kind):
            rejectRecord(record, .invalidEmail, "email is a JSON \(kind), not a string", context, emit)
            return
        case .value(.failure(let problem)):
            rejectRecord(record, .invalidEmail, "email \(problem.rawValue)", context, emit)
            return
        case .value(.success(let address)):
            email = address
        }

        var row = UserRow(userID: userID, email: email, processedAt: processedAt)
        row.fetchedAt = context.fetchedAt
        row.sourcePartition = context.partition
        row.sourceOffset = context.offset

        if let name {
            row.title = Self.folded(name.member("title"))
            row.firstName = Self.folded(name.member("first")) ?? "Unknown"
            row.lastName = Self.folded(name.member("last")) ?? "Unknown"
        }
        if case .value(let gender) = Self.trimmed(gender, Self.gender) { row.gender = gender }
        row.username = Self.text(usernameValue)

        if let location {
            var street: JSONValue?, city: JSONValue?, state: JSONValue?, country: JSONValue?
            var postcode: JSONValue?, coordinates: JSONValue?
            location.forEachMember { key, value in
                switch key.count {
                case 4: if bytesEqual(key, "city") { city = value }
                case 5: if bytesEqual(key, "state") { state = value }
                case 6: if bytesEqual(key, "street") { street = value }
                case 7: if bytesEqual(key, "country") { country = value }
                case 8: if bytesEqual(key, "postcode") { postcode = value }
                case 11: if bytesEqual(key, "coordinates") { coordinates = value }
                default: break
                }
            }
            row.city = Self.text(city)
            row.state = Self.text(state)
            row.country = Self.text(country)
            row.address = address(street: street, city: row.city, state: row.state, country: row.country)
            row.postcode = Self.numberOrText(postcode)
            if let coordinates {
                row.latitude = coordinate(coordinates.member("latitude"), limit: 90)
                row.longitude = coordinate(coordinates.member("longitude"), limit: 180)
            }
        }

        if let birth = date(dob?.member("date")) {
            if birth > options.runStartedAt {
                stats.record(.dateOfBirthInFuture)
            } else {
                row.dateOfBirth = birth
            }
        }
        row.age = age(dob?.member("age"))
        row.registrationDate = date(registered?.member("date"))
        row.phone = Self.text(phone)
        row.cell = Self.text(cell)
        if case .value(let nat?) = Self.trimmed(nat, Self.nationality) { row.nationality = nat }
        if case .value(let url?) = Self.trimmed(picture?.member("large"), Self.pictureURL) {
            row.pictureURL = url
        }
        stats.rows += 1
        emit(.row(row))
    }

    /// The address: the non-empty parts of street (`"<number> <name>"` or the street string), city, state
    /// and country, joined with `", "`; nil when all are empty. Built in one buffer, one String.
    func address(street: JSONValue?, city: String?, state: String?, country: String?) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(96)
        if let street {
            if street.kind == .object {
                if let number = Self.numberOrText(street.member("number")) { out.append(contentsOf: number.utf8) }
                if case .value = Self.trimmed(street.member("name"), { t -> Void in
                    if !out.isEmpty { out.append(0x20) }
                    out.append(contentsOf: t)
                }) {}
            } else if case .value = Self.trimmed(street, { t -> Void in out.append(contentsOf: t) }) {}
        }
        func add(_ part: String?) {
            guard let part else { return }
            if !out.isEmpty {
                out.append(UInt8(ascii: ","))
                out.append(0x20)
            }
            out.append(contentsOf: part.utf8)
        }
        add(city)
        add(state)
        add(country)
        return out.isEmpty ? nil : String(decoding: out, as: UTF8.self)
    }

    private mutating func rejectRecord(
        _ record: JSONValue, _ reason: RejectReason, _ detail: String, _ context: RecordContext,
        _ emit: (consuming TransformOutcome) -> Void
    ) {
        emitReject(
            reason, detail: detail, payload: .json(Secrets.scrubbedJSON(record)), record: record, context: context,
            emit: emit)
    }

    // MARK: - Field access

    /// Section 7 item 1: splits a value into missing / wrong type / a trimmed non-blank string given to `map`.
    @inline(__always)
    static func trimmed<R>(_ value: JSONValue?, _ map: (UnsafeRawBufferPointer) -> R) -> FieldValue<R> {
        guard let value, value.kind != .null else { return .missing }
        guard value.kind == .string else { return .wrongType(value.kind) }
        let result: FieldValue<R>? = value.withStringUTF8 { raw in
            let t = UTF8Text.trim(raw)
            return t.isEmpty ? .missing : .value(map(t))
        }
        return result ?? .missing
    }

    /// A text column (section 7 item 3): a string, trimmed; blank or another type → nil.
    static func text(_ value: JSONValue?) -> String? {
        if case .value(let s) = trimmed(value, UTF8Text.string) { return s }
        return nil
    }

    /// A name column: trimmed, inner runs of white space folded to one space; nil when blank.
    static func folded(_ value: JSONValue?) -> String? {
        if case .value(let s) = trimmed(value, UTF8Text.folded) { return s }
        return nil
    }

    /// Section 7 item 7: a number as text, or a trimmed string; nil for other kinds or blank.
    static func numberOrText(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        if value.kind == .number { return NumberText.decimal(value) }
        return text(value)
    }

    // MARK: - Rules

    /// Section 7 item 5: a lower-cased UUID, or nil.
    static func userID(_ t: UnsafeRawBufferPointer) -> String? {
        guard t.count == 36 else { return nil }
        for k in 0..<36 {
            let c = t[k]
            if k == 8 || k == 13 || k == 18 || k == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
            } else {
                guard c &- UInt8(ascii: "0") < 10 || (c | 0x20) &- UInt8(ascii: "a") < 6 else { return nil }
            }
        }
        return UTF8Text.lowercased(t)
    }

    /// What is wrong with an e-mail address (no values quoted).
    enum EmailProblem: String, Error {
        case atSigns = "does not have exactly one @"
        case emptyLocalPart = "has an empty local part"
        case noDotInDomain = "has no dot in its domain"
        case whiteSpace = "contains white space"
        case tooLong = "is longer than 254 bytes"
    }

    /// Section 7 item 6: lower-cases then checks the address.
    static func email(_ t: UnsafeRawBufferPointer) -> Result<String, EmailProblem> {
        var address = UTF8Text.lowercased(t)
        let problem: EmailProblem? = address.withUTF8 { raw in
            let b = UnsafeRawBufferPointer(raw)
            var at = -1
            for k in 0..<b.count where b[k] == UInt8(ascii: "@") {
                guard at < 0 else { return .atSigns }
                at = k
            }
            guard at >= 0 else { return .atSigns }
            guard at > 0 else { return .emptyLocalPart }
            guard b[(at + 1)...].contains(UInt8(ascii: ".")) else { return .noDotInDomain }
            guard !UTF8Text.containsWhiteSpace(b) else { return .whiteSpace }
            guard b.count <= 254 else { return .tooLong }
            return nil
        }
        if let problem { return .failure(problem) }
        return .success(address)
    }

    /// `male` / `female` / `unspecified`.
    static func gender(_ t: UnsafeRawBufferPointer) -> String {
        guard t.count <= 6 else { return "unspecified" }
        switch UTF8Text.lowercased(t) {
        case "male", "m", "man": return "male"
        case "female", "f", "woman": return "female"
        default: return "unspecified"
        }
    }

    /// Section 7 item 11: two ASCII letters, upper-cased.
    static func nationality(_ t: UnsafeRawBufferPointer) -> String? {
        guard t.count == 2, (t[0] | 0x20) &- UInt8(ascii: "a") < 26, (t[1] | 0x20) &- UInt8(ascii: "a") < 26 else {
            return nil
        }
        return UTF8Text.uppercased(t)
    }

    /// Section 7 item 11: an http(s) URL with a non-empty authority and no white space, kept as given.
    static func pictureURL(_ t: UnsafeRawBufferPointer) -> String? {
        var k = 0
        for c in "http".utf8 {
            guard k < t.count, t[k] | 0x20 == c else { return nil }
            k += 1
        }
        if k < t.count && t[k] | 0x20 == UInt8(ascii: "s") { k += 1 }
        for c in "://".utf8 {
            guard k < t.count, t[k] == c else { return nil }
            k += 1
        }
        guard k < t.count, t[k] != UInt8(ascii: "/"), t[k] != UInt8(ascii: "?"), t[k] != UInt8(ascii: "#") else {
            return nil
        }
        guard !UTF8Text.containsWhiteSpace(t) else { return nil }
        return UTF8Text.string(t)
    }

    /// Section 7 item 8: a coordinate, or nil (counting a violation when present but bad).
    mutating func coordinate(_ value: JSONValue?, limit: Double) -> Double? {
        guard let value, value.kind != .null else { return nil }
        var result: Double?
        switch value.kind {
        case .number:
            result = value.double
        case .string:
            switch Self.trimmed(value, JSONNumber.parseDecimal) {
            case .missing: return nil
            case .wrongType: result = nil
            case .value(let d): result = d
            }
        default:
            result = nil
        }
        if let d = result, d.isFinite, d >= -limit, d <= limit { return d }
        stats.record(.coordinatesInvalid)
        return nil
    }

    /// Section 7 item 9: a date, or nil (counting `date_invalid` when present but bad).
    mutating func date(_ value: JSONValue?) -> Int64? {
        switch Self.trimmed(value, Timestamp.parse) {
        case .missing:
            return nil
        case .value(let ms?):
            return ms
        case .wrongType, .value(nil):
            stats.record(.dateInvalid)
            return nil
        }
    }

    /// Section 7 item 10: an age in 0–150, or nil (counting `age_invalid` when present but bad).
    mutating func age(_ value: JSONValue?) -> Int32? {
        guard let value, value.kind != .null else { return nil }
        var result: Int64?
        switch value.kind {
        case .number:
            if value.isIntegerLiteral {
                result = value.int64
            } else if let d = value.double, JSONNumber.isIntegral(d), abs(d) <= 1e6 {
                result = Int64(d)
            }
        case .string:
            switch Self.trimmed(value, { t -> Int64? in JSONNumber.parseInt64(t) }) {
            case .missing: return nil
            case .wrongType: result = nil
            case .value(let n): result = n
            }
        default:
            result = nil
        }
        if let n = result, n >= 0, n <= 150 { return Int32(n) }
        stats.record(.ageInvalid)
        return nil
    }
}
