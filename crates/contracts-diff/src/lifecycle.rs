//! oasdiff's lifecycle extensions: `x-sunset` (the date from which something
//! deprecated may be removed) and `x-stability-level` (draft, alpha, beta,
//! stable), plus the deprecation-days policy and the date they are compared with.

use std::time::{SystemTime, UNIX_EPOCH};

use indexmap::IndexMap;
use serde_json::Value;

/// A calendar date, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(i64);

impl Date {
    /// `None` for a day that does not exist.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let month_length =
            days_from_civil(next_year, next_month, 1) - days_from_civil(year, month, 1);
        (i64::from(day) <= month_length).then(|| Date(days_from_civil(year, month, day)))
    }

    /// `YYYY-MM-DD`, or an RFC 3339 timestamp whose date part is taken (as oasdiff does).
    pub fn parse(text: &str) -> Option<Date> {
        let date = match text.split_once('T') {
            Some((date, _)) => date,
            None => text,
        };
        let mut parts = date.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return None;
        }
        Date::from_ymd(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
    }

    /// The current UTC date from the system clock.
    pub fn today() -> Date {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        Date(i64::try_from(seconds / 86_400).unwrap_or(0))
    }

    pub fn days_since(self, earlier: Date) -> i64 {
        self.0 - earlier.0
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
                Date::parse(text).map_or_else(|| Sunset::Invalid(text.clone()), Sunset::Date)
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

    pub fn deprecation_days(&self, stability: Option<Stability>) -> u32 {
        match stability {
            Some(Stability::Draft | Stability::Alpha) => 0,
            Some(Stability::Beta) => self.beta_deprecation_days,
            Some(Stability::Stable) | None => self.stable_deprecation_days,
        }
    }
}
