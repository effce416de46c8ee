/// One nationality the generator knows: the names, places and number formats its users get.
///
/// Patterns use `#` for a random digit and `L` for a random upper-case letter; every other character is kept.
struct SyntheticNationality: Sendable {
    /// How a nationality's `postcode` looks.
    enum Postcode: Sendable {
        /// A JSON number with this many digits (no leading zero).
        case number(digits: Int)
        /// A JSON string following a pattern (CA, GB, NO, as in the real API).
        case string(pattern: String)
    }

    var code: String
    var country: String
    var maleFirst: [String]
    var femaleFirst: [String]
    var last: [String]
    var streets: [String]
    /// (city, state) pairs.
    var places: [(String, String)]
    var postcode: Postcode
    var phone: String
    var cell: String
    var idName: String
    /// The `id.value` pattern; nil gives `"value": null`.
    var idPattern: String?

    /// The nationalities, in the order the generator draws from. The real API's v1.4 set plus CN.
    static let all: [SyntheticNationality] = [
        SyntheticNationality(
            code: "US", country: "United States",
            maleFirst: ["James", "Michael", "Robert", "David", "William", "Joseph"],
            femaleFirst: ["Mary", "Jennifer", "Linda", "Patricia", "Elizabeth", "Susan"],
            last: ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia"],
            streets: ["Main St", "Oak Ridge Ln", "Pecan Acres Ln", "W Sherman Dr"],
            places: [("Austin", "Texas"), ("Seattle", "Washington"), ("Denver", "Colorado"), ("Columbus", "Ohio")],
            postcode: .number(digits: 5), phone: "(###) ###-####", cell: "(###) ###-####",
            idName: "SSN", idPattern: "###-##-####"),
        SyntheticNationality(
            code: "GB", country: "United Kingdom",
            maleFirst: ["Oliver", "Harry", "George", "Jack", "Rhys", "Callum"],
            femaleFirst: ["Amelia", "Isla", "Ava", "Emily", "Siobhan", "Niamh"],
            last: ["Taylor", "Davies", "Evans", "Wilson", "O'Connor", "Hughes"],
            streets: ["Mill Road", "Church Lane", "Victoria Street", "High Street"],
            places: [("Leeds", "West Yorkshire"), ("Bristol", "Avon"), ("Norwich", "Norfolk"), ("Carlisle", "Cumbria")],
            postcode: .string(pattern: "LL# #LL"), phone: "0##### ######", cell: "07### ######",
            idName: "NINO", idPattern: "LL ## ## ## L"),
        SyntheticNationality(
            code: "CA", country: "Canada",
            maleFirst: ["Liam", "Noah", "Lucas", "Félix", "Émile", "Benjamin"],
            femaleFirst: ["Olivia", "Charlotte", "Léa", "Chloé", "Zoé", "Maëlle"],
            last: ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "MacDonald"],
            streets: ["Dufferin St", "Rue Saint-Denis", "King St", "Parliament St"],
            places: [("Toronto", "Ontario"), ("Montréal", "Québec"), ("Vancouver", "British Columbia"),
                     ("Halifax", "Nova Scotia")],
            postcode: .string(pattern: "L#L #L#"), phone: "L##-L##-####", cell: "L##-L##-####",
            idName: "SIN", idPattern: "### ### ###"),
        SyntheticNationality(
            code: "NO", country: "Norway",
            maleFirst: ["Ola", "Håkon", "Jørgen", "Sindre", "Øyvind", "Tor"],
            femaleFirst: ["Åse", "Ingrid", "Sølvi", "Kari", "Målfrid", "Ragnhild"],
            last: ["Hansen", "Johansen", "Ødegård", "Bakken", "Strøm", "Lie"],
            streets: ["Kirkeveien", "Storgata", "Bjørnstjerne Bjørnsons gate", "Havnegata"],
            places: [("Oslo", "Oslo"), ("Bergen", "Vestland"), ("Trondheim", "Trøndelag"),
                     ("Tromsø", "Troms og Finnmark")],
            postcode: .string(pattern: "####"), phone: "########", cell: "4#######",
            idName: "FN", idPattern: "###########"),
        SyntheticNationality(
            code: "BR", country: "Brazil",
            maleFirst: ["João", "Damas", "Thiago", "Luís", "Anselmo", "Caetano"],
            femaleFirst: ["Ana", "Luíza", "Beatriz", "Cecília", "Valéria", "Iraci"],
            last: ["Oliveira", "Silva", "Santos", "Araújo", "Gonçalves", "Pereira"],
            streets: ["Rua Vinte E Quatro de Outubro", "Rua São Luiz ", "Avenida Brasil", "Rua Três"],
            places: [("Cotia", "Bahia"), ("Guarulhos", "São Paulo"), ("Niterói", "Rio de Janeiro"),
                     ("Uberaba", "Minas Gerais")],
            postcode: .number(digits: 5), phone: "(##) ####-####", cell: "(##) #####-####",
            idName: "CPF", idPattern: "###.###.###-##"),
        SyntheticNationality(
            code: "NL", country: "Netherlands",
            maleFirst: ["Jetze", "Daan", "Sem", "Bram", "Thijs", "Joost"],
            femaleFirst: ["Fenna", "Sanne", "Noor", "Eline", "Femke", "Ilse"],
            last: ["Van Otterlo", "de Vries", "Jansen", "van den Berg", "Bakker", "Visser"],
            streets: ["Harke Sipkesstraat", "Kerkstraat", "Dorpsstraat", "Molenweg"],
            places: [("Berkelland", "Zuid-Holland"), ("Utrecht", "Utrecht"), ("Groningen", "Groningen"),
                     ("Zwolle", "Overijssel")],
            postcode: .number(digits: 4), phone: "(###)-###-####", cell: "(###)-###-####",
            idName: "BSN", idPattern: "########"),
        SyntheticNationality(
            code: "DE", country: "Germany",
            maleFirst: ["Jürgen", "Lukas", "Maximilian", "Günter", "Jörg", "Uwe"],
            femaleFirst: ["Jördis", "Lena", "Hannelore", "Käthe", "Bärbel", "Ursula"],
            last: ["Müller", "Schmidt", "Schröder", "Weiß", "Fischer", "Köhler"],
            streets: ["Gartenstraße", "Schulstraße", "Lindenstraße", "Bahnhofstraße"],
            places: [("München", "Bayern"), ("Köln", "Nordrhein-Westfalen"), ("Dresden", "Sachsen"),
                     ("Lübeck", "Schleswig-Holstein")],
            postcode: .number(digits: 5), phone: "0###-#######", cell: "017#-#######",
            idName: "SVNR", idPattern: "## ###### L ###"),
        SyntheticNationality(
            code: "FR", country: "France",
            maleFirst: ["Mathéo", "Lucas", "Noé", "Gaëtan", "Jérôme", "Loïc"],
            femaleFirst: ["Léonie", "Chloé", "Anaïs", "Zoé", "Hélène", "Maëlys"],
            last: ["Martin", "Bernard", "Lefèvre", "Girard", "Mercier", "Dupont"],
            streets: ["Rue de la Mairie", "Rue Pasteur", "Avenue Jean-Jaurès", "Place du 8 Février 1962"],
            places: [("Nantes", "Loire-Atlantique"), ("Besançon", "Doubs"), ("Nîmes", "Gard"), ("Orléans", "Loiret")],
            postcode: .number(digits: 5), phone: "0#-##-##-##-##", cell: "06-##-##-##-##",
            idName: "INSEE", idPattern: "############# ##"),
        SyntheticNationality(
            code: "ES", country: "Spain",
            maleFirst: ["Alejandro", "José", "Iván", "Ángel", "Jesús", "Rubén"],
            femaleFirst: ["María", "Lucía", "Inés", "Begoña", "Concepción", "Nerea"],
            last: ["Ñúñez", "García", "Martínez", "Gómez", "Rodríguez", "Jiménez"],
            streets: ["Calle de Alcalá", "Avenida de Andalucía", "Calle Mayor", "Paseo de Extremadura"],
            places: [("Alcobendas", "Comunidad de Madrid"), ("Córdoba", "Andalucía"), ("Zaragoza", "Aragón"),
                     ("Cádiz", "Andalucía")],
            postcode: .number(digits: 5), phone: "9##-###-###", cell: "6##-###-###",
            idName: "DNI", idPattern: "########-L"),
        SyntheticNationality(
            code: "RS", country: "Serbia",
            maleFirst: ["Željko", "Miloš", "Dušan", "Đorđe", "Vuk", "Nemanja"],
            femaleFirst: ["Jelena", "Milica", "Snežana", "Ljiljana", "Dragana", "Ivana"],
            last: ["Petrović", "Jovanović", "Nikolić", "Đukić", "Marković", "Živković"],
            streets: ["Kneza Miloša", "Bulevar oslobođenja", "Čarli Čaplina", "Njegoševa"],
            places: [("Beograd", "Central Serbia"), ("Novi Sad", "Vojvodina"), ("Niš", "Nišava"),
                     ("Kragujevac", "Šumadija")],
            postcode: .number(digits: 5), phone: "0##-####-###", cell: "06#-####-###",
            idName: "SID", idPattern: "#########"),
        SyntheticNationality(
            code: "UA", country: "Ukraine",
            maleFirst: ["Олександр", "Богдан", "Тарас", "Юрій", "Ярослав", "Остап"],
            femaleFirst: ["Олена", "Оксана", "Ганна", "Ірина", "Соломія", "Зоряна"],
            last: ["Шевченко", "Коваленко", "Бондаренко", "Мельник", "Ткаченко", "Кравчук"],
            streets: ["вулиця Хрещатик", "вулиця Шевченка", "проспект Перемоги", "вулиця Франка"],
            places: [("Київ", "Київська"), ("Львів", "Львівська"), ("Одеса", "Одеська"), ("Харків", "Харківська")],
            postcode: .number(digits: 5), phone: "(0##) ###-####", cell: "(09#) ###-####",
            idName: "", idPattern: nil),
        SyntheticNationality(
            code: "IR", country: "Iran",
            maleFirst: ["محمد", "علی", "رضا", "حسین", "امیر", "مهدی"],
            femaleFirst: ["فاطمه", "زهرا", "مریم", "نرگس", "سارا", "نگار"],
            last: ["احمدی", "محمدی", "حسینی", "رضایی", "کریمی", "موسوی"],
            streets: ["خیابان آزادی", "میدان انقلاب", "خیابان ولیعصر", "کوچه بهار"],
            places: [("تهران", "تهران"), ("شیراز", "فارس"), ("اصفهان", "اصفهان"), ("تبریز", "آذربایجان شرقی")],
            postcode: .number(digits: 5), phone: "0##-########", cell: "09##-###-####",
            idName: "", idPattern: nil),
        SyntheticNationality(
            code: "CN", country: "China",
            maleFirst: ["伟", "强", "磊", "军", "俊杰", "浩然"],
            femaleFirst: ["芳", "娜", "秀英", "敏", "静怡", "雨涵"],
            last: ["王", "李", "张", "刘", "陈", "杨"],
            streets: ["人民路", "解放路", "中山路", "建设路"],
            places: [("北京", "北京市"), ("上海", "上海市"), ("广州", "广东"), ("成都", "四川")],
            postcode: .number(digits: 6), phone: "0##-########", cell: "1##-####-####",
            idName: "", idPattern: nil),
        SyntheticNationality(
            code: "IN", country: "India",
            maleFirst: ["Arjun", "Rahul", "Vihaan", "Aarav", "Ishaan", "Kabir"],
            femaleFirst: ["Ananya", "Diya", "Priya", "Saanvi", "Meera", "Kavya"],
            last: ["Sharma", "Patel", "Reddy", "Nair", "Iyer", "Gupta"],
            streets: ["MG Road", "Nehru Nagar", "Station Road", "Gandhi Chowk"],
            places: [("Pune", "Maharashtra"), ("Jaipur", "Rajasthan"), ("Kochi", "Kerala"), ("Lucknow", "Uttar Pradesh")],
            postcode: .number(digits: 6), phone: "##########", cell: "9#########",
            idName: "UIDAI", idPattern: "############"),
        SyntheticNationality(
            code: "TR", country: "Turkey",
            maleFirst: ["Emre", "Mehmet", "Çağan", "Oğuz", "Barış", "Ümit"],
            femaleFirst: ["Ayşe", "Elif", "Gülşen", "Şule", "Özlem", "İrem"],
            last: ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk"],
            streets: ["Atatürk Cd", "Necatibey Cd", "İstiklal Cd", "Bağdat Cd"],
            places: [("İstanbul", "İstanbul"), ("Ankara", "Ankara"), ("İzmir", "İzmir"), ("Eskişehir", "Eskişehir")],
            postcode: .number(digits: 5), phone: "(###)-###-####", cell: "(###)-###-####",
            idName: "", idPattern: nil),
    ]

    /// Time zones as the API gives them (drawn independently of nationality, as the API does).
    static let timezones: [(String, String)] = [
        ("-12:00", "Eniwetok, Kwajalein"), ("-11:00", "Midway Island, Samoa"), ("-10:00", "Hawaii"),
        ("-9:00", "Alaska"), ("-8:00", "Pacific Time (US & Canada)"), ("-7:00", "Mountain Time (US & Canada)"),
        ("-6:00", "Central Time (US & Canada), Mexico City"), ("-5:00", "Eastern Time (US & Canada), Bogota, Lima"),
        ("-4:00", "Atlantic Time (Canada), Caracas, La Paz"), ("-3:30", "Newfoundland"),
        ("-3:00", "Brazil, Buenos Aires, Georgetown"), ("0:00", "Western Europe Time, London, Lisbon, Casablanca"),
        ("+1:00", "Brussels, Copenhagen, Madrid, Paris"), ("+2:00", "Kaliningrad, South Africa"),
        ("+3:00", "Baghdad, Riyadh, Moscow, St. Petersburg"), ("+3:30", "Tehran"),
        ("+4:00", "Abu Dhabi, Muscat, Baku, Tbilisi"), ("+5:30", "Bombay, Calcutta, Madras, New Delhi"),
        ("+8:00", "Beijing, Perth, Singapore, Hong Kong"), ("+9:00", "Tokyo, Seoul, Osaka, Sapporo, Yakutsk"),
        ("+10:00", "Eastern Australia, Guam, Vladivostok"), ("+12:00", "Auckland, Wellington, Fiji, Kamchatka"),
    ]

    static let adjectives = [
        "golden", "purple", "silver", "happy", "lazy", "brown", "tiny", "crazy", "heavy", "beautiful",
        "ticklish", "sad", "red", "blue", "green", "black", "white", "orange", "yellow", "organic",
    ]
    static let animals = [
        "peacock", "wolf", "tiger", "bear", "koala", "rabbit", "swan", "ostrich", "panda", "lion",
        "leopard", "dog", "cat", "fish", "bird", "elephant", "frog", "goose", "butterfly", "ladybug",
    ]
    static let passwords = [
        "cheese1", "quant4307s", "sunshine", "dragon", "letmein", "password1", "qwerty", "monkey",
        "football", "shadow", "master", "trustno1", "iloveyou", "pepper", "ginger", "matrix",
    ]
}
