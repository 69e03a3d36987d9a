//! Child processes on both of CI's cores.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Children at a time: the machine's two cores.
pub const WORKERS: usize = 2;

/// Runs `job` on every item, [`WORKERS`] at a time, each worker taking the
/// next item as it finishes one; the results in item order.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            return done;
                        };
                        done.push((index, job(item)));
                    }
                })
            })
            .collect();
        // A panic in `job` is a bug of the caller: pass it on.
        (workers.into_iter())
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_item_order() {
        let items: Vec<u64> = (0..50).collect();
        assert_eq!(
            in_parallel(&items, |item| item * 2),
            (0..50).map(|item| item * 2).collect::<Vec<_>>()
        );
    }
}
