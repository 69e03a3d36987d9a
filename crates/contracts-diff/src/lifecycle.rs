//! oasdiff's lifecycle extensions: `x-sunset` (the date from which something
//! deprecated may be removed) and `x-stability-level` (draft, alpha, beta,
//! stable), plus the deprecation-days policy and the date they are compared with.

use chrono::{NaiveDate, Utc};
use indexmap::IndexMap;
use serde_json::Value;

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
