import Foundation

/// A place on the earth, for "the nearest service point first".
public struct GeoPoint: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double

    public init?(latitude: Double, longitude: Double) {
        guard (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle distance in kilometres (haversine on a sphere of the earth's mean radius): good
    /// to a fraction of a percent, which is plenty for ordering desks by how far away they are.
    public func kilometres(to other: GeoPoint) -> Double {
        let radians = { (degrees: Double) in degrees * .pi / 180 }
        let dLat = radians(other.latitude - latitude), dLon = radians(other.longitude - longitude)
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(radians(latitude)) * cos(radians(other.latitude)) * sin(dLon / 2) * sin(dLon / 2)
        return 6371.0088 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }
}

/// What a service point does for visitors; the catalogue file lists each point's offers.
public enum PointOffer: String, Sendable, CaseIterable, Codable {
    /// An assistant helps fill in and upload an application, under the visitor's time-limited permission.
    case assisted
    /// A passport checked in person (identity level 3 "checked at a point").
    case passportCheck = "passport_check"
    /// ID photos taken and checked against the machine-checkable rules.
    case idPhoto = "id_photo"
    /// A room where a citizen takes a video session with an office at home.
    case videoRoom = "video_room"
    /// Numbers for the walk-in queue.
    case walkIn = "walk_in"
}
