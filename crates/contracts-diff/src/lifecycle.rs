//! oasdiff's lifecycle extensions: `x-sunset` (the date from which something
//! deprecated may be removed) and `x-stability-level` (draft, alpha, beta,
//! stable), plus the deprecation-days policy and the date they are compared with.

use chrono::{NaiveDate, Utc};
use contracts_model::{Loc, Operation};
use indexmap::IndexMap;
use serde_json::Value;

use crate::rules::{DeprecationIds, RemovalIds, SunsetChangeIds};
use crate::{Engine, rules};

/// A calendar date.
pub type Date = NaiveDate;

/// `YYYY-MM-DD`, or an RFC 3339 timestamp whose date part is taken (as oasdiff does).
pub fn parse_date(text: &str) -> Option<Date> {
    let date = text.split_once('T').map_or(text, |(date, _)| date);
    // chrono also reads `2023-2-01`; a sunset is written in full.
    if date.len() != "YYYY-MM-DD".len() {
        return None;
    }
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// The current UTC date from the system clock.
pub fn today() -> Date {
    Utc::now().date_naive()
}

/// Days from `earlier` to `date` (negative when `date` is before it).
pub fn days_between(earlier: Date, date: Date) -> i64 {
    (date - earlier).num_days()
}

/// What `x-sunset` says.
#[derive(Debug, Clone, PartialEq)]
pub enum Sunset {
    Missing,
    /// Present but not a date: the raw value, for messages.
    Invalid(String),
    Date(Date),
}

impl Sunset {
    pub fn of(extensions: Option<&IndexMap<String, Value>>) -> Sunset {
        match extensions.and_then(|extensions| extensions.get("x-sunset")) {
            None => Sunset::Missing,
            Some(Value::String(text)) => {
                parse_date(text).map_or_else(|| Sunset::Invalid(text.clone()), Sunset::Date)
            }
            Some(other) => Sunset::Invalid(other.to_string()),
        }
    }
}

/// `x-stability-level`, least stable first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stability {
    Draft,
    Alpha,
    Beta,
    Stable,
}

impl Stability {
    /// `Ok(None)` when absent; `Err` with the raw value when it is not one of the four levels.
    pub fn of(extensions: &IndexMap<String, Value>) -> Result<Option<Stability>, String> {
        match extensions.get("x-stability-level") {
            None => Ok(None),
            Some(Value::String(level)) => match level.as_str() {
                "draft" => Ok(Some(Stability::Draft)),
                "alpha" => Ok(Some(Stability::Alpha)),
                "beta" => Ok(Some(Stability::Beta)),
                "stable" => Ok(Some(Stability::Stable)),
                _ => Err(level.clone()),
            },
            Some(other) => Err(other.to_string()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stability::Draft => "draft",
            Stability::Alpha => "alpha",
            Stability::Beta => "beta",
            Stability::Stable => "stable",
        }
    }

    /// Draft and alpha operations promise nothing: oasdiff reports no change to them.
    pub fn may_change_freely(stability: Option<Stability>) -> bool {
        matches!(stability, Some(Stability::Draft | Stability::Alpha))
    }
}

/// The date sunsets are compared with, and how many days ahead a sunset
/// must be when something is deprecated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub today: Date,
    /// Minimum days between deprecating a beta operation (or its parameters, properties) and its sunset.
    pub beta_deprecation_days: u32,
    /// The same for stable operations and those without a stability level.
    pub stable_deprecation_days: u32,
}

impl Policy {
    /// oasdiff's defaults: no minimum (its pairs report a deprecation
    /// without `x-sunset` as plain `endpoint-deprecated`, not
    /// `api-deprecated-sunset-missing`, for beta and stable alike).
    pub fn at(today: Date) -> Policy {
        Policy {
            today,
            beta_deprecation_days: 0,
            stable_deprecation_days: 0,
        }
    }

    /// oasdiff's defaults, as of the system clock's date.
    pub fn today() -> Policy {
        Policy::at(today())
    }

    pub fn deprecation_days(&self, stability: Option<Stability>) -> u32 {
        match stability {
            Some(Stability::Draft | Stability::Alpha) => 0,
            Some(Stability::Beta) => self.beta_deprecation_days,
            Some(Stability::Stable) | None => self.stable_deprecation_days,
        }
    }
}

impl<'c> Engine<'c> {
    /// A matched operation's `x-stability-level`: invalid levels and
    /// changes are reported. `None` when the revision is draft or alpha, whose
    /// other changes are not reported; otherwise the revision's level.
    pub(crate) fn stability(
        &mut self,
        old: &Operation,
        new: &Operation,
        label: &str,
    ) -> Option<Option<Stability>> {
        let locs = (Some(&old.loc), Some(&new.loc));
        let (before, after) = (
            Stability::of(&old.extensions),
            Stability::of(&new.extensions),
        );
        let unchanged =
            old.extensions.get("x-stability-level") == new.extensions.get("x-stability-level");
        // An invalid level is reported where it changes: a spec never differs from itself.
        if let Some(raw) = before.as_ref().err().or(after.as_ref().err())
            && !unchanged
        {
            self.report(
                rules::API_INVALID_STABILITY_LEVEL,
                Some(label),
                format!("x-stability-level `{raw}` is not draft, alpha, beta or stable"),
                locs.0,
                locs.1,
            );
        } else if let (Ok(before), Ok(after)) = (before, &after) {
            let name = |level: Option<Stability>| level.map_or("none", Stability::as_str);
            let message = format!("x-stability-level {} became {}", name(before), name(*after));
            // Dropping the level drops its promise too, as oasdiff counts it.
            let id = match (before, *after) {
                (Some(_), None) => Some(rules::API_STABILITY_DECREASED),
                (Some(b), Some(a)) if a < b => Some(rules::API_STABILITY_DECREASED),
                (Some(b), Some(a)) if a > b => Some(rules::API_STABILITY_INCREASED),
                _ => None,
            };
            if let Some(id) = id {
                self.report(id, Some(label), message, locs.0, locs.1);
            }
        }
        let after = after.unwrap_or(None);
        (!Stability::may_change_freely(after)).then_some(after)
    }

    /// The id for removing something: removing a deprecated thing is fine
    /// once its `x-sunset` has passed (or when it has none), breaking before.
    /// Also a note for the message.
    pub(crate) fn removal(
        &self,
        deprecated: bool,
        extensions: Option<&IndexMap<String, Value>>,
        ids: &RemovalIds,
    ) -> (&'static str, String) {
        if !deprecated {
            return (ids.without_deprecation, String::new());
        }
        match Sunset::of(extensions) {
            Sunset::Missing => (ids.with_deprecation, String::new()),
            Sunset::Invalid(raw) => (
                ids.sunset_invalid,
                format!(", and its x-sunset `{raw}` is not a date"),
            ),
            Sunset::Date(date) if date > self.policy.today => {
                (ids.before_sunset, " before its x-sunset date".into())
            }
            Sunset::Date(_) => (ids.with_deprecation, " after its x-sunset date".into()),
        }
    }

    /// `deprecated` turned on (checked against the policy's sunset distance) or off.
    pub(crate) fn deprecation(
        &mut self,
        (before, after): (bool, bool),
        extensions: Option<&IndexMap<String, Value>>,
        ids: &DeprecationIds,
        (operation, what): (&str, &str),
        (old_loc, new_loc): (Option<&Loc>, Option<&Loc>),
    ) {
        let days = self.deprecation_days;
        let (id, message) = match (before, after) {
            (true, false) => (ids.reactivated, format!("{what} is no longer deprecated")),
            (false, true) => match Sunset::of(extensions) {
                Sunset::Missing if days > 0 => (
                    ids.sunset_missing,
                    format!(
                        "{what} was deprecated without an x-sunset date ({days} days' notice required)"
                    ),
                ),
                Sunset::Missing => (ids.deprecated, format!("{what} was deprecated")),
                Sunset::Invalid(raw) => (
                    ids.sunset_invalid,
                    format!("{what} was deprecated with x-sunset `{raw}`, which is not a date"),
                ),
                Sunset::Date(date) if days_between(self.policy.today, date) < i64::from(days) => (
                    ids.sunset_too_soon,
                    format!(
                        "{what} was deprecated with its x-sunset date {} days away ({days} required)",
                        days_between(self.policy.today, date)
                    ),
                ),
                Sunset::Date(_) => (
                    ids.with_sunset,
                    format!("{what} was deprecated with an x-sunset date"),
                ),
            },
            _ => return,
        };
        self.report(id, Some(operation), message, old_loc, new_loc);
    }

    /// A deprecated thing's `x-sunset` was deleted, made unreadable, or
    /// moved earlier than the policy allows.
    pub(crate) fn sunset_change(
        &mut self,
        (old, new): (&IndexMap<String, Value>, &IndexMap<String, Value>),
        ids: &SunsetChangeIds,
        (operation, what): (&str, &str),
        (old_loc, new_loc): (Option<&Loc>, Option<&Loc>),
    ) {
        if old.get("x-sunset") == new.get("x-sunset") {
            return;
        }
        let days = i64::from(self.deprecation_days);
        let (id, message) = match (Sunset::of(Some(old)), Sunset::of(Some(new))) {
            (Sunset::Missing, _) => return,
            (_, Sunset::Missing) => (ids.deleted, format!("{what} lost its x-sunset date")),
            (Sunset::Invalid(raw), _) | (_, Sunset::Invalid(raw)) => (
                ids.invalid,
                format!("{what}: x-sunset `{raw}` is not a date"),
            ),
            (Sunset::Date(before), Sunset::Date(after))
                if after < before && days_between(self.policy.today, after) < days =>
            {
                (
                    ids.moved_too_soon,
                    format!("{what}: x-sunset moved earlier, to fewer than {days} days away"),
                )
            }
            _ => return,
        };
        self.report(id, Some(operation), message, old_loc, new_loc);
    }
}
