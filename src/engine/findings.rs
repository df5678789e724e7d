//! Findings: what the engine noticed about the data. A finding is a kind with typed values
//! (ids, positions, hectares, dates, the geometry problem, the bad value and its key); its
//! severity and its stable code follow from the kind. No sentence is built here: the words are
//! the catalogue's ([`crate::i18n`]), in the reader's language.
//!
//! The rules that find them are in [`super::checks`].

use serde::Serialize;
use std::fmt;

use super::attributes::ValueProblem;
use super::figures::FillBasis;
use super::geometry::GeometryProblem;
use super::model::LayerKind;
use super::properties::Date;

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
    /// A lot marked leased whose lease ended before today (or the date asked for).
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
    /// An edit left a gap between two lots that shared an edge: land in neither.
    GapBetweenLots,
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
            Self::GapBetweenLots => "gap_between_lots",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which `bbox` member a [`FindingKind::WrongBbox`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BboxOwner {
    /// The feature's own `bbox`.
    Feature,
    /// The `bbox` inside the feature's geometry.
    Geometry,
    /// The FeatureCollection's `bbox` (reported on its first feature).
    Collection,
}

/// What is wrong with a `bbox` member. `text` is the member as written, cut short.
#[derive(Clone, Debug, PartialEq)]
pub enum BboxProblem {
    NotNumbers {
        text: String,
    },
    /// Neither 4 numbers nor 6.
    WrongCount(usize),
    SouthAboveNorth {
        text: String,
    },
    /// It leaves out some of the positions, which span `spans` (west, south, east, north).
    Misses {
        text: String,
        spans: [f64; 4],
    },
}

/// What a zone's fill rate divides by when it has no `industrial_land_ha`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fallback {
    /// The land of its lots (leased, vacant and reserved), ha.
    ParcelInventory { lots_ha: f64 },
    /// Its gross area: not a legal basis.
    GrossArea,
    /// Nothing: no usable geometry either, so no fill rate.
    Nothing,
}

/// What was found, with the values that say it. Positions of other features (`other`) count
/// from 1, as people do.
#[derive(Clone, Debug, PartialEq)]
pub enum FindingKind {
    /// The geometry cannot take part in the figures; the feature is kept in the file.
    UnusableGeometry(GeometryProblem),
    /// A property present but unreadable as what its key means; treated as missing.
    BadValue {
        key: String,
        problem: ValueProblem,
    },
    /// The same id as an earlier feature of the layer.
    DuplicateId {
        other: usize,
    },
    ParcelInNoZone,
    /// `zone_id` names no zone; `placed_in`: the zone found by geometry instead, if any.
    UnknownZoneId {
        zone_ref: String,
        placed_in: Option<String>,
    },
    /// Part (or all, `wholly_outside`) of a lot lies outside its zone and does not count.
    ParcelStraddlesZone {
        zone: String,
        outside_ha: f64,
        area_ha: f64,
        wholly_outside: bool,
    },
    ParcelsOverlap {
        other: usize,
        other_id: String,
        overlap_ha: f64,
        both_leased: bool,
    },
    LeasedExceedsDenominator {
        leased_ha: f64,
        denominator_ha: f64,
        basis: FillBasis,
    },
    AreaDiffersFromPlan {
        measured_ha: f64,
        planned_ha: f64,
    },
    NoDenominator(Fallback),
    /// Marked leased, with a lease that ended on `end`: before today (`as_of: None`, and it
    /// still counts as leased) or before the date asked for (where it counts as vacant).
    LeaseEnded {
        end: Date,
        as_of: Option<Date>,
    },
    WrongBbox {
        owner: BboxOwner,
        problem: BboxProblem,
    },
    StatusMissing,
    ZonesOverlap {
        other: usize,
        other_id: String,
        other_name: String,
        overlap_ha: f64,
    },
    /// An edit of this lot's shape left land that bordered lot `other` along an edge the two
    /// shared, and that no lot covers now: `gap_m2` square metres, around (`x`, `y`)
    /// (longitude, latitude). See [`super::gaps`].
    GapBetweenLots {
        other: usize,
        other_id: String,
        gap_m2: f64,
        x: f64,
        y: f64,
    },
}

impl FindingKind {
    pub fn severity(&self) -> Severity {
        match self {
            Self::UnusableGeometry(p) => match p {
                GeometryProblem::Missing | GeometryProblem::NotAreal { .. } => Severity::Warning,
                _ => Severity::Error,
            },
            Self::ParcelsOverlap { both_leased, .. } if *both_leased => Severity::Error,
            Self::LeasedExceedsDenominator { .. } => Severity::Error,
            // DOMAIN.md: "a gap or sliver left by an edit is an error a planner wants to see
            // at once".
            Self::GapBetweenLots { .. } => Severity::Error,
            _ => Severity::Warning,
        }
    }

    pub fn code(&self) -> Code {
        match self {
            Self::UnusableGeometry(p) => match p {
                GeometryProblem::Missing => Code::MissingGeometry,
                GeometryProblem::NotAreal { .. } => Code::NotAreal,
                GeometryProblem::MalformedFeature(_) => Code::MalformedFeature,
                GeometryProblem::Invalid(_) => Code::InvalidGeometry,
                GeometryProblem::OutOfRange { .. } => Code::ProjectedCoordinates,
                GeometryProblem::SelfIntersecting { .. } => Code::SelfIntersection,
                GeometryProblem::CrossesAntimeridian { .. } => Code::CrossesAntimeridian,
            },
            Self::BadValue { .. } => Code::BadValue,
            Self::DuplicateId { .. } => Code::DuplicateId,
            Self::ParcelInNoZone => Code::ParcelInNoZone,
            Self::UnknownZoneId { .. } => Code::UnknownZoneId,
            Self::ParcelStraddlesZone { .. } => Code::ParcelStraddlesZone,
            Self::ParcelsOverlap { .. } => Code::ParcelsOverlap,
            Self::LeasedExceedsDenominator { .. } => Code::LeasedExceedsDenominator,
            Self::AreaDiffersFromPlan { .. } => Code::AreaDiffersFromPlan,
            Self::NoDenominator(_) => Code::NoDenominator,
            Self::LeaseEnded { .. } => Code::LeaseEnded,
            Self::WrongBbox { .. } => Code::WrongBbox,
            Self::StatusMissing => Code::StatusMissing,
            Self::ZonesOverlap { .. } => Code::ZonesOverlap,
            Self::GapBetweenLots { .. } => Code::GapBetweenLots,
        }
    }

    /// The other feature involved (from 1), where there is one.
    pub fn other(&self) -> Option<usize> {
        match self {
            Self::DuplicateId { other }
            | Self::ParcelsOverlap { other, .. }
            | Self::ZonesOverlap { other, .. }
            | Self::GapBetweenLots { other, .. } => Some(*other),
            _ => None,
        }
    }
}

/// One finding about one feature (or a pair).
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub layer: LayerKind,
    /// Position of the feature in its file, from 1.
    pub feature: usize,
    /// The feature's id as the report shows it.
    pub id: String,
}

impl Finding {
    /// `feature` is 0-based here; it is stored from 1 as people count.
    pub fn new(kind: FindingKind, layer: LayerKind, feature: usize, id: &str) -> Self {
        Finding {
            kind,
            layer,
            feature: feature + 1,
            id: id.to_string(),
        }
    }

    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    pub fn code(&self) -> Code {
        self.kind.code()
    }

    /// The second feature's position (from 1), where two are involved.
    pub fn other(&self) -> Option<usize> {
        self.kind.other()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_and_code_follow_from_the_kind() {
        let overlap = |both_leased| FindingKind::ParcelsOverlap {
            other: 3,
            other_id: "B".into(),
            overlap_ha: 0.5,
            both_leased,
        };
        assert_eq!(overlap(true).severity(), Severity::Error);
        assert_eq!(overlap(false).severity(), Severity::Warning);
        assert_eq!(overlap(false).code(), Code::ParcelsOverlap);
        assert_eq!(overlap(false).other(), Some(3));
        let missing = FindingKind::UnusableGeometry(GeometryProblem::Missing);
        assert_eq!(
            (missing.severity(), missing.code()),
            (Severity::Warning, Code::MissingGeometry)
        );
        let projected =
            FindingKind::UnusableGeometry(GeometryProblem::OutOfRange { x: 5e5, y: 2e6 });
        assert_eq!(
            (projected.severity(), projected.code()),
            (Severity::Error, Code::ProjectedCoordinates)
        );
        assert_eq!(FindingKind::StatusMissing.other(), None);
    }
}
