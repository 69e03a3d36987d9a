//! The wall time of each phase of a run, summed up at its end, so that a
//! slow phase shows without reading the whole log.

use std::time::{Duration, Instant};

#[derive(Default)]
pub struct Phases(Vec<(&'static str, Duration)>);

impl Phases {
    /// Runs `work` as the phase `name`, or as more of it when it ran before.
    pub fn time<T>(&mut self, name: &'static str, work: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = work();
        let took = started.elapsed();
        match self.0.iter_mut().find(|(phase, _)| *phase == name) {
            Some((_, total)) => *total += took,
            None => self.0.push((name, took)),
        }
        result
    }

    /// `commands 74 s, tsc 23 s`: the phases in the order they ran.
    pub fn summary(&self) -> String {
        let phases: Vec<String> = (self.0.iter())
            .map(|(name, took)| format!("{name} {:.0} s", took.as_secs_f64()))
            .collect();
        phases.join(", ")
    }
}
