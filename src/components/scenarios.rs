//! The scenario bar: save the assumptions under a name, switch, duplicate, rename and delete
//! scenarios, undo and redo, and compare the current assumptions with a saved scenario.

use crate::components::chart_parts::FoldedTable;
use crate::state::{t, use_workbook, OpenComparison, Shared};
use leptos::ev;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use profitbook_engine::i18n::{fill, tr, Lang};
use profitbook_engine::scenario::{compare, Comparison, NameError};
use profitbook_engine::{compute, Money, Rates};

fn name_error_text(lang: Lang, e: &NameError) -> String {
    match e {
        NameError::Empty => tr(lang, "scenario.name_empty").to_string(),
        NameError::Taken(name) => fill(tr(lang, "scenario.name_taken"), &[("name", name)]),
    }
}

/// Whether a key press belongs to a text field, whose own undo it must stay.
fn in_text_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = ev.target() else {
        return false;
    };
    if target.dyn_ref::<web_sys::HtmlTextAreaElement>().is_some() {
        return true;
    }
    target
        .dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(|i| {
            !matches!(
                i.type_().as_str(),
                "range" | "checkbox" | "radio" | "button"
            )
        })
}

#[component]
pub fn ScenarioBar() -> impl IntoView {
    let wb = use_workbook();
    let undo = wb.undo;
    let lang = move || wb.lang.get();
    // Ctrl+Z undoes, Ctrl+Shift+Z or Ctrl+Y redoes (Cmd on a Mac), outside text fields.
    let keys = window_event_listener(ev::keydown, move |e| {
        if !(e.ctrl_key() || e.meta_key()) || in_text_field(&e) {
            return;
        }
        match (e.key().to_lowercase().as_str(), e.shift_key()) {
            ("z", false) => undo.undo(),
            ("z", true) | ("y", _) => undo.redo(),
            _ => return,
        }
        e.prevent_default();
    });
    on_cleanup(move || keys.remove());

    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let current = move || wb.scenarios.with(|s| s.current);
    let changed = move || {
        wb.scenarios.with(|s| {
            s.current
                .and_then(|i| s.list.get(i))
                .is_some_and(|sc| wb.assumptions.with(|a| *a != sc.assumptions))
        })
    };
    let save_as = move |_| {
        let mut result = Ok(0);
        let a = wb.assumptions.get_untracked();
        wb.scenarios
            .update(|s| result = s.save_as(&name.get_untracked(), &a));
        match result {
            Ok(_) => {
                name.set(String::new());
                message.set(None);
            }
            Err(e) => message.set(Some(name_error_text(lang(), &e))),
        }
    };
    let switch = move |ev| {
        let Ok(i) = event_target_value(&ev).parse::<usize>() else {
            return;
        };
        let Some(a) = wb
            .scenarios
            .with_untracked(|s| s.list.get(i).map(|x| x.assumptions.clone()))
        else {
            return;
        };
        wb.scenarios.update(|s| s.current = Some(i));
        wb.assumptions.set(a);
    };
    let update = move |_| {
        let a = wb.assumptions.get_untracked();
        wb.scenarios.update(|s| {
            s.update_current(&a);
        });
    };
    let duplicate = move |_| {
        if let Some(i) = current() {
            wb.scenarios.update(|s| {
                s.duplicate(i);
            });
        }
    };
    let rename = move |_| {
        let Some(i) = current() else { return };
        let mut result = Ok(());
        wb.scenarios
            .update(|s| result = s.rename(i, &name.get_untracked()));
        match result {
            Ok(()) => {
                name.set(String::new());
                message.set(None);
            }
            Err(e) => message.set(Some(name_error_text(lang(), &e))),
        }
    };
    let delete = move |_| {
        if let Some(i) = current() {
            wb.scenarios.update(|s| s.delete(i));
        }
    };
    let options = move || {
        let cur = current();
        wb.scenarios.with(|s| {
            s.list
                .iter()
                .enumerate()
                .map(|(i, sc)| {
                    view! { <option value=i.to_string() selected=cur == Some(i)>{sc.name.clone()}</option> }
                })
                .collect_view()
        })
    };
    let has_current = move || current().is_some();
    // The scenario compared, and what it is compared with (none: the assumptions now).
    let compare_with = RwSignal::new(None::<usize>);
    let compare_to = RwSignal::new(None::<usize>);
    let scenario_options = move || {
        wb.scenarios.with(|s| {
            s.list
                .iter()
                .enumerate()
                .map(|(i, sc)| view! { <option value=i.to_string()>{sc.name.clone()}</option> })
                .collect_view()
        })
    };
    view! {
        <section class="scenario-bar" aria-label=t("scenario.region")>
            <div class="table-controls">
                <label class="field">
                    <span>{t("scenario.current")}</span>
                    <select data-testid="scenario-select" on:change=switch>
                        <option value="" selected=move || current().is_none()>{t("scenario.unsaved")}</option>
                        {options}
                    </select>
                </label>
                <Show when=changed>
                    <button type="button" data-testid="scenario-update" on:click=update>
                        {t("scenario.update")}
                    </button>
                </Show>
                <label class="field">
                    <span>{t("scenario.name")}</span>
                    <input
                        type="text"
                        data-testid="scenario-name"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <button type="button" data-testid="scenario-save" on:click=save_as>{t("scenario.save_as")}</button>
                <button type="button" data-testid="scenario-rename" on:click=rename disabled=move || !has_current()>
                    {t("scenario.rename")}
                </button>
                <button type="button" data-testid="scenario-duplicate" on:click=duplicate disabled=move || !has_current()>
                    {t("scenario.duplicate")}
                </button>
                <button type="button" data-testid="scenario-delete" on:click=delete disabled=move || !has_current()>
                    {t("scenario.delete")}
                </button>
                <span class="spacer"></span>
                <button
                    type="button"
                    data-testid="undo"
                    aria-keyshortcuts="Control+Z"
                    disabled=move || !undo.can_undo()
                    on:click=move |_| undo.undo()
                >
                    {t("scenario.undo")}
                </button>
                <button
                    type="button"
                    data-testid="redo"
                    aria-keyshortcuts="Control+Shift+Z Control+Y"
                    disabled=move || !undo.can_redo()
                    on:click=move |_| undo.redo()
                >
                    {t("scenario.redo")}
                </button>
            </div>
            <p class="errors" role="alert" data-testid="scenario-message" hidden=move || message.with(Option::is_none)>
                {move || message.get()}
            </p>
            <Show when=move || wb.scenarios.with(|s| !s.list.is_empty())>
                <div class="table-controls">
                    <label class="field">
                        <span>{t("scenario.compare_with")}</span>
                        <select
                            data-testid="scenario-compare"
                            on:change=move |ev| compare_with.set(event_target_value(&ev).parse().ok())
                        >
                            <option value="">{t("scenario.compare_none")}</option>
                            {scenario_options}
                        </select>
                    </label>
                    <label class="field">
                        <span>{t("scenario.compare_to")}</span>
                        <select
                            data-testid="scenario-compare-to"
                            on:change=move |ev| compare_to.set(event_target_value(&ev).parse().ok())
                        >
                            <option value="">{t("scenario.current_assumptions")}</option>
                            {scenario_options}
                        </select>
                    </label>
                </div>
            </Show>
            {move || {
                compare_with
                    .get()
                    .map(|i| view! { <ScenarioComparison scenario=i against=compare_to.get()/> })
            }}
        </section>
    }
}

/// A saved scenario against another, or against the assumptions now (`against` none): totals,
/// the customers that flip between profit and loss, and those whose profit moves most.
#[component]
fn ScenarioComparison(scenario: usize, against: Option<usize>) -> impl IntoView {
    let wb = use_workbook();
    let lang = move || wb.lang.get();
    // A saved scenario's report, computed again only when its assumptions or the data change
    // (not when the assumptions now move, nor when a scenario is renamed).
    let saved_report = move |i: usize| {
        let assumptions = Memo::new(move |_| {
            wb.scenarios
                .with(|s| s.list.get(i).map(|x| x.assumptions.clone()))
        });
        Memo::new(move |_| {
            let a = assumptions.get()?;
            wb.model.with(|m| {
                let rates = Rates::compile(&a, m).ok()?;
                Some(Shared::new(compute(m, &rates, &a.actions)))
            })
        })
    };
    let base = saved_report(scenario);
    let other_report = against.map(saved_report);
    let comparison = Memo::new(move |_| {
        let base = base.get()?;
        let other = match other_report {
            Some(report) => report.get()?,
            None => wb.report.get()?,
        };
        Some(compare(&base, &other, 10))
    });
    let scenario_name = move |i: usize| {
        wb.scenarios
            .with(|s| s.list.get(i).map(|x| x.name.clone()))
            .unwrap_or_default()
    };
    let name = move || scenario_name(scenario);
    let other = move || match against {
        Some(j) => scenario_name(j),
        None => tr(lang(), "scenario.now").to_string(),
    };
    // What is on screen is what the exports include.
    Effect::new(move |_| {
        let open = comparison.get().map(|comparison| OpenComparison {
            a: name(),
            b: other(),
            comparison,
        });
        wb.open_comparison.set(open);
    });
    on_cleanup(move || wb.open_comparison.set(None));
    let locale = wb.locale();
    let signed = move |m: Money| {
        if m.0 > 0 {
            format!("+{}", locale.amount(m))
        } else {
            locale.amount(m)
        }
    };
    let customer = move |i: u32| {
        wb.model
            .with(|m| format!("{} ({})", m.names[i as usize], m.ids[i as usize]))
    };
    let body = move || {
        let c: Comparison = comparison.get()?;
        let row = move |label: &'static str, testid: &'static str, a: Money, b: Money| {
            view! {
                <tr>
                    <th scope="row">{move || tr(lang(), label)}</th>
                    <td class="num">{locale.amount(a)}</td>
                    <td class="num">{locale.amount(b)}</td>
                    <td class="num" data-testid=testid>{signed(b - a)}</td>
                </tr>
            }
        };
        let flips = c
            .flips
            .iter()
            .map(|f| {
                let key = if f.became_profitable() {
                    "scenario.flip_up"
                } else {
                    "scenario.flip_down"
                };
                let text = fill(
                    tr(lang(), key),
                    &[
                        ("customer", &customer(f.customer)),
                        ("before", &locale.money(f.before)),
                        ("after", &locale.money(f.after)),
                    ],
                );
                view! { <li>{text}</li> }
            })
            .collect_view();
        let largest = c
            .largest
            .iter()
            .map(|x| {
                view! {
                    <tr>
                        <th scope="row">{customer(x.customer)}</th>
                        <td class="num">{locale.amount(x.before)}</td>
                        <td class="num">{locale.amount(x.after)}</td>
                        <td class="num">{signed(x.delta())}</td>
                    </tr>
                }
            })
            .collect_view();
        let no_flips = c.flips.is_empty();
        let unprofitable = fill(
            tr(lang(), "scenario.unprofitable_change"),
            &[
                ("before", &locale.integer(c.unprofitable_a as i64)),
                ("after", &locale.integer(c.unprofitable_b as i64)),
            ],
        );
        Some(view! {
            <table data-testid="scenario-totals">
                <caption>
                    {move || fill(tr(lang(), "scenario.compare_caption"), &[("name", &name()), ("other", &other()), ("money", wb.locale().amounts_caption())])}
                </caption>
                <thead>
                    <tr>
                        <th scope="col"></th>
                        <th scope="col" class="num">{name}</th>
                        <th scope="col" class="num">{other}</th>
                        <th scope="col" class="num">{t("scenario.change")}</th>
                    </tr>
                </thead>
                <tbody>
                    {row("col.revenue", "compare-revenue", c.totals_a.revenue, c.totals_b.revenue)}
                    {row("col.cost_to_serve", "compare-cost-to-serve", c.totals_a.cost_to_serve, c.totals_b.cost_to_serve)}
                    {row("col.net_profit", "compare-net-profit", c.totals_a.net_profit, c.totals_b.net_profit)}
                </tbody>
            </table>
            <p data-testid="compare-unprofitable">{unprofitable}</p>
            <h3>{t("scenario.flips")}</h3>
            <ul data-testid="scenario-flips">
                {flips}
                {no_flips.then(|| view! { <li>{t("scenario.no_flips")}</li> })}
            </ul>
            <FoldedTable testid="scenario-largest" summary="scenario.largest">
                <thead>
                    <tr>
                        <th scope="col">{t("col.customer_name")}</th>
                        <th scope="col" class="num">{name}</th>
                        <th scope="col" class="num">{other}</th>
                        <th scope="col" class="num">{t("scenario.change")}</th>
                    </tr>
                </thead>
                <tbody>{largest}</tbody>
            </FoldedTable>
        })
    };
    view! { <div class="scenario-comparison" data-testid="scenario-comparison">{body}</div> }
}
