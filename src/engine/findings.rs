//! Findings: what the engine noticed about the data, each with a severity and a stable code
//! that scripts can rely on.

use serde::Serialize;
use std::fmt;

use super::model::LayerKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// The stable codes. Their text form (snake case) is what `check --format json` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The feature is not a JSON object.
    MalformedFeature,
    /// `"geometry": null` or absent.
    MissingGeometry,
    /// A point or line: no area.
    NotAreal,
    /// Coordinates that do not make a polygon (unclosed, too short, not numbers…).
    InvalidGeometry,
    /// Coordinates outside longitude/latitude range: they look projected.
    ProjectedCoordinates,
    /// Two features of a layer share an id.
    DuplicateId,
    /// A property value that cannot be read as what its key means.
    BadValue,
    /// A parcel that lies in no zone and names none.
    ParcelInNoZone,
    /// A parcel's `zone_id` names no zone (it was placed by its geometry instead).
    UnknownZoneId,
    /// A parcel that sticks out of its zone.
    ParcelStraddlesZone,
    /// Two parcels whose areas overlap.
    ParcelsOverlap,
    /// More leased land than the denominator of the fill rate.
    LeasedExceedsDenominator,
    /// Measured area more than 5 % from `planned_area_ha`.
    AreaDiffersFromPlan,
    /// No `industrial_land_ha`: the fill rate uses a fallback denominator.
    NoDenominator,
    /// A lot marked leased whose lease ended before today.
    LeaseEnded,
    /// A ring whose edges cross or touch each other: its area is not defined.
    SelfIntersection,
    /// A ring written across the antimeridian (longitude ±180°).
    CrossesAntimeridian,
    /// A `bbox` member that is malformed or does not contain its geometry.
    WrongBbox,
    /// A lot without a status in a file whose other lots give theirs: counted as vacant.
    StatusMissing,
    /// Two zones whose areas overlap: totals count that land twice.
    ZonesOverlap,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedFeature => "malformed_feature",
            Self::MissingGeometry => "missing_geometry",
            Self::NotAreal => "not_areal",
            Self::InvalidGeometry => "invalid_geometry",
            Self::ProjectedCoordinates => "projected_coordinates",
            Self::DuplicateId => "duplicate_id",
            Self::BadValue => "bad_value",
            Self::ParcelInNoZone => "parcel_in_no_zone",
            Self::UnknownZoneId => "unknown_zone_id",
            Self::ParcelStraddlesZone => "parcel_straddles_zone",
            Self::ParcelsOverlap => "parcels_overlap",
            Self::LeasedExceedsDenominator => "leased_exceeds_denominator",
            Self::AreaDiffersFromPlan => "area_differs_from_plan",
            Self::NoDenominator => "no_denominator",
            Self::LeaseEnded => "lease_ended",
            Self::SelfIntersection => "self_intersection",
            Self::CrossesAntimeridian => "crosses_antimeridian",
            Self::WrongBbox => "wrong_bbox",
            Self::StatusMissing => "status_missing",
            Self::ZonesOverlap => "zones_overlap",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding about one feature (or a pair).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: Code,
    pub layer: LayerKind,
    /// Position of the feature in its file, from 1.
    pub feature: usize,
    /// The feature's id as the report shows it.
    pub id: String,
    pub message: String,
    /// The same in Vietnamese, for the app (the command line writes English).
    #[serde(skip)]
    pub message_vi: String,
    /// The second feature's position (from 1), where two are involved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<usize>,
}

impl Finding {
    /// The message in the reader's language.
    pub fn message_in(&self, lang: super::format::Lang) -> &str {
        match lang {
            super::format::Lang::En => &self.message,
            super::format::Lang::Vi => &self.message_vi,
        }
    }

    /// `feature` is 0-based here; it is stored from 1 as people count.
    pub fn new(
        severity: Severity,
        code: Code,
        layer: LayerKind,
        feature: usize,
        id: &str,
        (message, message_vi): (String, String),
    ) -> Self {
        Finding {
            severity,
            code,
            layer,
            feature: feature + 1,
            id: id.to_string(),
            message,
            message_vi,
            other: None,
        }
    }

    /// Names a second feature (0-based).
    pub fn with_other(mut self, other: usize) -> Self {
        self.other = Some(other + 1);
        self
    }
}

impl serde::Serialize for LayerKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {} #{} ({}): {}",
            self.severity.code(),
            self.code,
            self.layer.code(),
            self.feature,
            self.id,
            self.message
        )
    }
}
