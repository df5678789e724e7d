//! Lease statuses: a lot without a status among lots that give theirs (it counts as vacant),
//! and a lot marked leased whose lease ended before the reference date.

use crate::engine::as_of::AsOf;
use crate::engine::findings::FindingKind;
use crate::engine::model::Parcel;
use crate::engine::properties::ParcelStatus;

/// `any_status`: some lot of the file gives a status.
pub fn status_missing(item: &Parcel, any_status: bool) -> Option<FindingKind> {
    (any_status && !item.status_given).then_some(FindingKind::StatusMissing)
}

/// A lot marked leased whose lease ended before `on` (the end day itself is still leased).
pub fn lease_ended(item: &Parcel, on: AsOf) -> Option<FindingKind> {
    let end = item.lease_end?;
    (item.status_given && item.status == ParcelStatus::Leased && end < on.date()).then_some(
        FindingKind::LeaseEnded {
            end,
            as_of: on.asked(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::properties::Date;
    use crate::engine::test_data::three_zones;

    fn d(s: &str) -> Date {
        Date::parse(s).expect("a date")
    }

    #[test]
    fn a_lease_has_ended_from_the_day_after_its_end() {
        let ds = three_zones(&[
            r#"{"status":"leased","lease_end":"2024-12-31"}"#,
            r#"{"status":"vacant","lease_end":"2020-01-01"}"#,
            r#"{"lease_end":"2020-01-01"}"#,
        ]);
        let p = &ds.parcels.as_ref().expect("parcels").items;
        // On the last day of the lease it has not ended; the next day it has.
        assert_eq!(lease_ended(&p[0], AsOf::Today(d("2024-12-31"))), None);
        assert_eq!(
            lease_ended(&p[0], AsOf::Today(d("2025-01-01"))),
            Some(FindingKind::LeaseEnded {
                end: d("2024-12-31"),
                as_of: None
            })
        );
        // As of a date asked for, the finding says so.
        assert_eq!(
            lease_ended(&p[0], AsOf::On(d("2025-06-30"))),
            Some(FindingKind::LeaseEnded {
                end: d("2024-12-31"),
                as_of: Some(d("2025-06-30"))
            })
        );
        assert_eq!(lease_ended(&p[0], AsOf::On(d("2024-06-30"))), None);
        // Not marked leased: nothing to say about the end.
        assert_eq!(lease_ended(&p[1], AsOf::Today(d("2025-01-01"))), None);
        // No status while the others give one: counted as vacant, and found.
        assert_eq!(
            status_missing(&p[2], true),
            Some(FindingKind::StatusMissing)
        );
        assert_eq!(lease_ended(&p[2], AsOf::Today(d("2025-01-01"))), None);
        assert_eq!(status_missing(&p[0], true), None);
    }
}
