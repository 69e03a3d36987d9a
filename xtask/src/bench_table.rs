//! One row per benchmark, printed as it is measured and, for `cargo xtask
//! bench` with no argument, gathered into docs/benchmarks.md.

use std::time::Duration;

use crate::bench::millis;

/// One side of a measurement: a median wall time and the peak memory.
pub struct Side {
    pub label: String,
    pub time: Duration,
    /// Peak resident memory in KB, when measured (runs of a binary under GNU time).
    pub peak_kb: Option<u64>,
}

impl Side {
    pub fn new(label: impl Into<String>, (time, peak_kb): (Duration, Option<u64>)) -> Side {
        Side {
            label: label.into(),
            time,
            peak_kb,
        }
    }
}

/// How the two sides of a row compare.
#[derive(Clone, Copy)]
pub enum Compare {
    /// A peer doing the same work: how many times faster we are (theirs / ours).
    Faster,
    /// A lower bound on the work (a bare parse): how many times it we take (ours / it).
    Baseline,
}

pub struct Row {
    pub work: &'static str,
    pub input: String,
    pub rounds: usize,
    pub ours: Side,
    /// The peer or baseline, with how to read the ratio; `None` for absolute targets.
    pub other: Option<(Side, Compare)>,
    pub target: &'static str,
    /// What else the run found (counts, a peer's failure).
    pub note: String,
}

impl Row {
    /// The time ratio as the row reads it.
    pub fn ratio(&self) -> Option<f64> {
        let (other, compare) = self.other.as_ref()?;
        let (ours, theirs) = (self.ours.time.as_secs_f64(), other.time.as_secs_f64());
        Some(match compare {
            Compare::Faster => theirs / ours,
            Compare::Baseline => ours / theirs,
        })
    }

    fn memory_ratio(&self) -> Option<f64> {
        let (other, Compare::Faster) = self.other.as_ref()? else {
            return None;
        };
        Some(self.ours.peak_kb? as f64 / other.peak_kb? as f64)
    }

    pub fn print(&self) {
        println!("{} — {} ({} rounds):", self.work, self.input, self.rounds);
        let sides = std::iter::once(&self.ours).chain(self.other.as_ref().map(|(side, _)| side));
        for side in sides {
            println!(
                "  {:<34} {:>9.1} ms  {:>6} MB peak",
                side.label,
                millis(side.time),
                megabytes(side.peak_kb)
            );
        }
        if let (Some(ratio), Some((_, compare))) = (self.ratio(), &self.other) {
            let reading = match compare {
                Compare::Faster => "x faster",
                Compare::Baseline => "x the baseline",
            };
            let memory = (self.memory_ratio())
                .map_or(String::new(), |m| format!(", memory {m:.2} of theirs"));
            println!("  ratio {ratio:.2}{reading}{memory}");
        }
        if !self.note.is_empty() {
            println!("  {}", self.note);
        }
        println!("  target: {}", self.target);
    }
}

fn megabytes(peak_kb: Option<u64>) -> String {
    peak_kb.map_or("?".into(), |kb| (kb >> 10).to_string())
}

/// docs/benchmarks.md: every row, with the machine and the date.
pub fn document(rows: &[Row], machine: &str, date: &str) -> String {
    let mut out = format!(
        "# Benchmarks\n\n\
         <!-- Written by `cargo xtask bench` (no argument), which runs every benchmark. -->\n\n\
         Measured on {date}, {machine}, release build. Times are medians of the \
         rounds given, wall clock (for `watch`, the 95th percentile of its edits); peak memory is the largest resident set of any \
         round (GNU time), for runs of a binary. A peer runs in the same benchmark \
         as we do, on the same input, so ratios hold across machines better than \
         times. `x faster` is the peer's time over ours; `x the baseline` is ours \
         over a bare `serde_json` parse of the same bytes, the least any tool \
         reading the spec must do.\n\n\
         | Work | Input | Rounds | contracts | Peer or baseline | Ratio | Peak memory (ours / theirs) | Target | Notes |\n\
         |---|---|---|---|---|---|---|---|---|\n"
    );
    for row in rows {
        let other = row.other.as_ref().map_or("—".to_owned(), |(side, _)| {
            format!("{}: {:.0} ms", side.label, millis(side.time))
        });
        let ratio = match (row.ratio(), row.other.as_ref().map(|(_, c)| *c)) {
            (Some(ratio), Some(Compare::Faster)) if ratio >= 10.0 => format!("{ratio:.1}x faster"),
            (Some(ratio), Some(Compare::Faster)) => format!("{ratio:.2}x faster"),
            (Some(ratio), Some(Compare::Baseline)) => format!("{ratio:.2}x the baseline"),
            _ => "—".to_owned(),
        };
        let theirs = row.other.as_ref().and_then(|(side, _)| side.peak_kb);
        let memory = match (row.ours.peak_kb, theirs) {
            (Some(_), Some(_)) => format!(
                "{} / {} MB ({:.2})",
                megabytes(row.ours.peak_kb),
                megabytes(theirs),
                row.memory_ratio().unwrap_or_default()
            ),
            (Some(_), None) => format!("{} MB", megabytes(row.ours.peak_kb)),
            _ => "—".to_owned(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {}: {:.0} ms | {other} | {ratio} | {memory} | {} | {} |\n",
            row.work,
            row.input,
            row.rounds,
            row.ours.label,
            millis(row.ours.time),
            row.target,
            row.note
        ));
    }
    out
}

/// The machine as the table names it: CPU model and cores.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
    format!("{cores} cores ({model}), {}", std::env::consts::OS)
}
