import Foundation
import HTTPTypes
import Hummingbird
import StrataCatalog

/// The model a request was routed to, with its catalog version as resolved for this request.
public struct RoutedModel: Sendable {
    /// The model that answers.
    public let model: ServedModel
    /// The catalog version as resolved now (status included), nil for a file served by path.
    public let version: ModelVersion?
    /// When a deprecated version was deprecated (seconds since 1970), if known.
    public let deprecatedAt: Double?

    /// `X-Strata-Model-Version`.
    public static let versionHeader = HTTPField.Name("X-Strata-Model-Version")!
    /// `Deprecation` (RFC 9745).
    public static let deprecationHeader = HTTPField.Name("Deprecation")!
    /// `Sunset` (RFC 8594).
    public static let sunsetHeader = HTTPField.Name("Sunset")!
    /// `Warning` (code 299, "miscellaneous persistent warning").
    public static let warningHeader = HTTPField.Name("Warning")!

    /// Headers every answer from this model carries: the exact version, and for a deprecated
    /// one `Deprecation: @<unix time>` (or `true` when the time is unknown), `Warning: 299`
    /// with the note, and `Sunset` when a sunset day is set.
    public var headers: HTTPFields {
        var fields = HTTPFields()
        fields[Self.versionHeader] = model.id
        guard let version, version.status == .deprecated else { return fields }
        fields[Self.deprecationHeader] = deprecatedAt.map { "@\(Int($0))" } ?? "true"
        var warning = "\(version.reference) (\(version.label)) is deprecated"
        if let note = version.deprecationNote, !note.isEmpty { warning += ": " + note }
        if let sunset = version.sunsetDate { warning += "; sunset \(sunset)" }
        fields[Self.warningHeader] = "299 strata \"\(Self.quotable(warning))\""
        if let sunset = version.sunsetDate.flatMap(Self.httpDate) { fields[Self.sunsetHeader] = sunset }
        return fields
    }

    /// `text` as the inside of a quoted header string: printable ASCII, `"` and `\` escaped,
    /// anything else replaced by `?`.
    static func quotable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22, 0x5C: result += "\\" + String(scalar)
            case 0x20 ... 0x7E: result.unicodeScalars.append(scalar)
            default: result += "?"
            }
        }
        return result
    }

    /// `YYYY-MM-DD` as an HTTP date at midnight UTC (`Tue, 30 Jun 2027 00:00:00 GMT`).
    static func httpDate(_ day: String) -> String? {
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = TimeZone(identifier: "UTC")
        parser.dateFormat = "yyyy-MM-dd"
        parser.isLenient = false
        guard let date = parser.date(from: day), parser.string(from: date) == day else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

extension Response {
    /// This response with `routed`'s headers added.
    func tagged(with routed: RoutedModel) -> Response {
        var response = self
        for field in routed.headers { response.headers[field.name] = field.value }
        return response
    }
}
