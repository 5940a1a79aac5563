//! Undo and redo of assumption and scenario changes. Every change is recorded by watching the
//! two signals, so no control has to remember to; the moves of one slider drag, which come
//! many a second and change the same assumption, are one step.

use leptos::prelude::*;
use profitbook_engine::assumptions::{Assumptions, Param};
use profitbook_engine::history::History;
use profitbook_engine::scenario::Scenarios;

/// Changes of the same assumptions closer together than this are one step (a slider being
/// dragged).
const SAME_STEP_MS: f64 = 700.0;

/// What undo restores.
#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    assumptions: Assumptions,
    scenarios: Scenarios,
}

#[derive(Clone, Copy)]
pub struct Undo {
    assumptions: RwSignal<Assumptions>,
    scenarios: RwSignal<Scenarios>,
    history: StoredValue<History<Snapshot>>,
    /// Bumped on every change of the history, so buttons follow whether they can act.
    revision: RwSignal<u64>,
    /// Set while undo or redo writes the signals, so their own change is not recorded.
    restoring: StoredValue<bool>,
    /// When the last change was made, and which assumptions it changed (none: it changed
    /// scenarios).
    last_change: StoredValue<(f64, Vec<Param>)>,
}

/// The assumptions that differ between two snapshots; empty when scenarios changed, so such a
/// change is never merged with another.
fn changed(before: &Snapshot, now: &Snapshot) -> Vec<Param> {
    if before.scenarios != now.scenarios {
        return Vec::new();
    }
    Param::all(&now.assumptions)
        .into_iter()
        .filter(|p| p.get(&before.assumptions) != p.get(&now.assumptions))
        .collect()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Undo {
    /// Starts watching the two signals (within the current reactive owner).
    pub fn watch(assumptions: RwSignal<Assumptions>, scenarios: RwSignal<Scenarios>) -> Undo {
        let undo = Undo {
            assumptions,
            scenarios,
            history: StoredValue::new(History::default()),
            revision: RwSignal::new(0),
            restoring: StoredValue::new(false),
            last_change: StoredValue::new((f64::NEG_INFINITY, Vec::new())),
        };
        Effect::new(move |before: Option<Snapshot>| {
            let now = Snapshot {
                assumptions: assumptions.get(),
                scenarios: scenarios.get(),
            };
            if let Some(before) = before.filter(|b| *b != now) {
                if !undo.restoring.get_value() {
                    let t = now_ms();
                    let params = changed(&before, &now);
                    let same_step = undo.last_change.with_value(|(last, last_params)| {
                        t - last < SAME_STEP_MS && !params.is_empty() && *last_params == params
                    });
                    if !same_step {
                        undo.history.update_value(|h| h.record(before));
                        undo.revision.update(|r| *r += 1);
                    }
                    undo.last_change.set_value((t, params));
                }
            }
            undo.restoring.set_value(false);
            now
        });
        undo
    }

    fn current(self) -> Snapshot {
        Snapshot {
            assumptions: self.assumptions.get_untracked(),
            scenarios: self.scenarios.get_untracked(),
        }
    }

    fn restore(self, s: Snapshot) {
        self.restoring.set_value(true);
        // The next change starts a new step, even straight after.
        self.last_change.set_value((f64::NEG_INFINITY, Vec::new()));
        self.assumptions.set(s.assumptions);
        self.scenarios.set(s.scenarios);
        self.revision.update(|r| *r += 1);
    }

    pub fn undo(self) {
        let current = self.current();
        if let Some(previous) = self.history.try_update_value(|h| h.undo(current)).flatten() {
            self.restore(previous);
        }
    }

    pub fn redo(self) {
        let current = self.current();
        if let Some(next) = self.history.try_update_value(|h| h.redo(current)).flatten() {
            self.restore(next);
        }
    }

    /// Puts in place the assumptions and scenarios kept from an earlier visit, as the start of
    /// the history: nothing to undo.
    pub fn start_from(self, assumptions: Assumptions, scenarios: Scenarios) {
        self.history.set_value(History::default());
        self.restore(Snapshot {
            assumptions,
            scenarios,
        });
    }

    pub fn can_undo(self) -> bool {
        self.revision.track();
        self.history.with_value(History::can_undo)
    }

    pub fn can_redo(self) -> bool {
        self.revision.track();
        self.history.with_value(History::can_redo)
    }
}
