//! Undo and redo over any state: the states before each change, and those undone since.

/// The undo and redo stacks. The caller records the state a change left; undoing hands back
/// the state before it, redoing the state undone.
#[derive(Clone, Debug, PartialEq)]
pub struct History<T> {
    past: Vec<T>,
    future: Vec<T>,
    limit: usize,
}

impl<T: PartialEq> Default for History<T> {
    fn default() -> History<T> {
        History::with_limit(200)
    }
}

impl<T: PartialEq> History<T> {
    /// Keeps at most `limit` states to undo; the oldest go first.
    pub fn with_limit(limit: usize) -> History<T> {
        History {
            past: Vec::new(),
            future: Vec::new(),
            limit: limit.max(1),
        }
    }

    /// A change was made from `before`. Whatever was undone can no longer be redone.
    pub fn record(&mut self, before: T) {
        if self.past.last() != Some(&before) {
            self.past.push(before);
            if self.past.len() > self.limit {
                self.past.remove(0);
            }
        }
        self.future.clear();
    }

    /// The state to go back to from `current`, if any; `current` can then be redone.
    pub fn undo(&mut self, current: T) -> Option<T> {
        let previous = self.past.pop()?;
        self.future.push(current);
        Some(previous)
    }

    /// The state last undone, if any; `current` can then be undone again.
    pub fn redo(&mut self, current: T) -> Option<T> {
        let next = self.future.pop()?;
        self.past.push(current);
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_walk_the_changes_both_ways() {
        // 6 -> 12 -> 15 (a cost per ticket moved twice).
        let mut h = History::default();
        h.record(6);
        h.record(12);
        let mut now = 15;
        now = h.undo(now).unwrap();
        assert_eq!(now, 12);
        now = h.undo(now).unwrap();
        assert_eq!(now, 6);
        assert_eq!(h.undo(now), None);
        now = h.redo(now).unwrap();
        assert_eq!(now, 12);
        now = h.redo(now).unwrap();
        assert_eq!(now, 15);
        assert!(!h.can_redo());
    }

    #[test]
    fn a_new_change_after_undo_drops_what_was_undone() {
        let mut h = History::default();
        h.record(6);
        let now = h.undo(12).unwrap(); // back to 6; 12 could be redone
        assert!(h.can_redo());
        h.record(now); // 6 -> 9 instead
        assert!(!h.can_redo());
        assert_eq!(h.undo(9), Some(6));
    }

    #[test]
    fn only_the_last_states_are_kept() {
        let mut h = History::with_limit(2);
        for v in [1, 2, 3] {
            h.record(v);
        }
        assert_eq!(h.undo(4), Some(3));
        assert_eq!(h.undo(3), Some(2));
        assert_eq!(h.undo(2), None);
    }
}
