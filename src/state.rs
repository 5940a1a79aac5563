//! The workbook's reactive state: the aggregated model and the assumptions are signals; the
//! rates and the report are memos derived from them, so any change recomputes everything once.

use crate::import_state::DataSource;
use crate::undo::Undo;
use leptos::prelude::*;
use profitbook_engine::assumptions::{AssumptionError, Assumptions, Rates};
use profitbook_engine::currency::Currency;
use profitbook_engine::format::Locale;
use profitbook_engine::i18n::Lang;
use profitbook_engine::scenario::Scenarios;
use profitbook_engine::table::View;
use profitbook_engine::{compute, Model, Report};
use std::sync::{Arc, Weak};

/// A shared, immutable value compared by identity: memos over large values (a model of a
/// million customers) must not compare them element by element to decide whether they changed.
#[derive(Debug)]
pub struct Shared<T>(pub Arc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Arc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Everything the views read, provided once as context.
#[derive(Clone, Copy)]
pub struct Workbook {
    /// The language of the page (remembered by this browser, see `language.rs`).
    pub lang: RwSignal<Lang>,
    /// The currency the amounts are in: the workbook's, kept with it.
    pub currency: RwSignal<Currency>,
    /// Where the model's data came from.
    pub data: RwSignal<DataSource>,
    pub model: RwSignal<Shared<Model>>,
    pub assumptions: RwSignal<Assumptions>,
    /// The assumptions compiled against the model, or every validation error. Compared by
    /// value, so changing an assumption that no figure uses recomputes nothing.
    pub rates: Memo<Result<Rates, Vec<AssumptionError>>>,
    /// The report for the current model and assumptions; `None` while assumptions are invalid.
    pub report: Memo<Option<Shared<Report>>>,
    /// The customer shown in full (the detail dialog), if any.
    pub detail: RwSignal<Option<usize>>,
    /// Named sets of assumptions.
    pub scenarios: RwSignal<Scenarios>,
    /// Undo and redo of assumption and scenario changes.
    pub undo: Undo,
    /// The table's order, search, filters and columns, and the groups chart's attribute: kept
    /// with the workbook.
    pub view: RwSignal<View>,
    /// The scenario comparison on screen, with the names of both sides: exports include it.
    pub open_comparison: RwSignal<Option<OpenComparison>>,
}

/// A comparison of two scenarios as it is on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenComparison {
    pub a: String,
    pub b: String,
    pub comparison: profitbook_engine::scenario::Comparison,
}

impl Workbook {
    pub fn new(model: Model, data: DataSource) -> Workbook {
        let model = RwSignal::new(Shared::new(model));
        let assumptions = RwSignal::new(Assumptions::default());
        let scenarios = RwSignal::new(Scenarios::default());
        let rates = Memo::new(move |_| assumptions.with(|a| model.with(|m| Rates::compile(a, m))));
        let rules = Memo::new(move |_| assumptions.with(|a| a.actions.clone()));
        // The model the last report was computed from. Weak, so an old model is freed; its
        // address stays taken while this is held, so no new model can be mistaken for it.
        let computed_from = StoredValue::new(Weak::<Model>::new());
        let report = Memo::new(move |last: Option<&Option<Shared<Report>>>| {
            rates.with(|rates| {
                let rates = rates.as_ref().ok()?;
                let report = rules.with(|rules| {
                    model.with(|m| {
                        let same_model = computed_from
                            .with_value(|w| std::ptr::eq(w.as_ptr(), Arc::as_ptr(&m.0)));
                        computed_from.set_value(Arc::downgrade(&m.0));
                        // After a slider move, only the lines that move changes are computed.
                        match last.and_then(Option::as_ref).filter(|_| same_model) {
                            Some(last) => last.recomputed(m, rates, rules),
                            None => compute(m, rates, rules),
                        }
                    })
                });
                Some(Shared::new(report))
            })
        });
        Workbook {
            lang: RwSignal::new(Lang::default()),
            currency: RwSignal::new(Currency::default()),
            data: RwSignal::new(data),
            model,
            assumptions,
            rates,
            report,
            detail: RwSignal::new(None),
            scenarios,
            undo: Undo::watch(assumptions, scenarios),
            view: RwSignal::new(View::default()),
            open_comparison: RwSignal::new(None),
        }
    }
}

impl Workbook {
    /// How numbers, money and dates are written: follows the language and the currency.
    pub fn locale(&self) -> Locale {
        Locale::new(self.lang.get(), self.currency.get())
    }

    pub fn locale_untracked(&self) -> Locale {
        Locale::new(self.lang.get_untracked(), self.currency.get_untracked())
    }
}

/// One part of the workbook's view as a signal of a component's own. Changes go both ways (the
/// component's choice is kept with the workbook; an opened file or a restored visit shows in
/// the component), and a value written back unchanged wakes no one.
pub fn view_part<T>(view: RwSignal<View>, part: fn(&mut View) -> &mut T) -> RwSignal<T>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let read = move |v: &View| part(&mut v.clone()).clone();
    let local = RwSignal::new(view.with_untracked(read));
    Effect::new(move |_| {
        let value = view.with(read);
        if local.with_untracked(|l| *l != value) {
            local.set(value);
        }
    });
    Effect::new(move |_| {
        let value = local.get();
        view.maybe_update(|v| {
            let slot = part(v);
            let changed = *slot != value;
            if changed {
                *slot = value;
            }
            changed
        });
    });
    local
}

/// The page's clock in milliseconds (0 where there is none), to portion out long work.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// `source`, followed once the page has painted: a heavy view (a chart of 1,500 points) follows
/// a slider move a frame after the headline figures and the table, and a burst of moves within
/// one frame is drawn once. It starts with the source's value.
pub fn after_paint<T>(source: Memo<T>) -> ReadSignal<T>
where
    T: Clone + Send + Sync + 'static,
{
    let (read, write) = signal(source.get_untracked());
    let scheduled = StoredValue::new(false);
    Effect::new(move |first_run: Option<()>| {
        source.track();
        if first_run.is_none() || scheduled.try_get_value() != Some(false) {
            return;
        }
        scheduled.set_value(true);
        // A frame's callbacks run before it is painted; a timeout set from one runs after.
        request_animation_frame(move || {
            set_timeout(
                move || {
                    scheduled.try_set_value(false);
                    if let Some(value) = source.try_get_untracked() {
                        write.try_set(value);
                    }
                },
                std::time::Duration::ZERO,
            )
        });
    });
    read
}

/// The workbook provided by [`components::app::App`](crate::components::app::App).
pub fn use_workbook() -> Workbook {
    expect_context::<Workbook>()
}

/// A translated text that follows the language signal.
pub fn t(key: &'static str) -> impl Fn() -> &'static str + Copy + 'static {
    let lang = use_workbook().lang;
    move || profitbook_engine::i18n::tr(lang.get(), key)
}

/// The form of a counted text that `n` takes, following the language signal; the caller fills
/// its placeholders.
pub fn t_n(key: &'static str, n: usize) -> &'static str {
    profitbook_engine::i18n::tr_n(use_workbook().lang.get(), key, n as u64)
}
