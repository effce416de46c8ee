/// One row of `user_data.users`, as the contract's section 2 defines it.
///
/// An optional property that is `nil` is *absent*: a sink does not write that column at all
/// (CQL leaves it unset, never null; SQLite writes NULL only on first insert). Timestamps are
/// UTC milliseconds since the Unix epoch.
public struct UserRow: Sendable, Hashable {
    /// `login.uuid`, trimmed and lower-cased; the primary key.
    public var userID: String
    /// `name.title`, folded; absent when missing or blank.
    public var title: String?
    /// `name.first`, folded; `Unknown` when missing or blank.
    public var firstName: String
    /// `name.last`, folded; `Unknown` when missing or blank.
    public var lastName: String
    /// `male`, `female` or `unspecified`.
    public var gender: String
    /// `email`, trimmed and lower-cased; validated (section 7 item 6).
    public var email: String
    /// `login.username`, trimmed.
    public var username: String?
    /// Street, city, state and country joined with `", "` (non-empty parts only).
    public var address: String?
    /// `location.city`, trimmed.
    public var city: String?
    /// `location.state`, trimmed.
    public var state: String?
    /// `location.country`, trimmed.
    public var country: String?
    /// `location.postcode`: a number as decimal text, or a trimmed string.
    public var postcode: String?
    /// `location.coordinates.latitude`, within ±90.
    public var latitude: Double?
    /// `location.coordinates.longitude`, within ±180.
    public var longitude: Double?
    /// UTC milliseconds.
    public var dateOfBirth: Int64?
    /// `dob.age`, 0–150.
    public var age: Int32?
    /// UTC milliseconds.
    public var registrationDate: Int64?
    /// `phone`, trimmed.
    public var phone: String?
    /// `cell`, trimmed.
    public var cell: String?
    /// `nat`: two ASCII letters, upper-cased.
    public var nationality: String?
    /// `picture.large`: an http(s) URL, as given.
    public var pictureURL: String?
    /// The record's version (contract section 5): its `fetched_at` header, else its Kafka timestamp.
    public var fetchedAt: Int64?
    /// When the processor transformed the record.
    public var processedAt: Int64
    /// The Kafka partition the record was read from (absent in batch mode).
    public var sourcePartition: Int32?
    /// The Kafka offset the record was read from (absent in batch mode).
    public var sourceOffset: Int64?

    /// Creates a row; `firstName`, `lastName` and `gender` default to the contract's constants.
    public init(
        userID: String,
        title: String? = nil,
        firstName: String = "Unknown",
        lastName: String = "Unknown",
        gender: String = "unspecified",
        email: String,
        username: String? = nil,
        address: String? = nil,
        city: String? = nil,
        state: String? = nil,
        country: String? = nil,
        postcode: String? = nil,
        latitude: Double? = nil,
        longitude: Double? = nil,
        dateOfBirth: Int64? = nil,
        age: Int32? = nil,
        registrationDate: Int64? = nil,
        phone: String? = nil,
        cell: String? = nil,
        nationality: String? = nil,
        pictureURL: String? = nil,
        fetchedAt: Int64? = nil,
        processedAt: Int64,
        sourcePartition: Int32? = nil,
        sourceOffset: Int64? = nil
    ) {
        self.userID = userID
        self.title = title
        self.firstName = firstName
        self.lastName = lastName
        self.gender = gender
        self.email = email
        self.username = username
        self.address = address
        self.city = city
        self.state = state
        self.country = country
        self.postcode = postcode
        self.latitude = latitude
        self.longitude = longitude
        self.dateOfBirth = dateOfBirth
        self.age = age
        self.registrationDate = registrationDate
        self.phone = phone
        self.cell = cell
        self.nationality = nationality
        self.pictureURL = pictureURL
        self.fetchedAt = fetchedAt
        self.processedAt = processedAt
        self.sourcePartition = sourcePartition
        self.sourceOffset = sourceOffset
    }
}
