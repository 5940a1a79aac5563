use crate::components::messages::problem_text;
use crate::state::{t, use_workbook};
use leptos::prelude::*;
use profitbook_engine::assumptions::{from_display, to_display, Group, Param, Unit};
use profitbook_engine::i18n::{fill, tr};

/// Every assumption, grouped as people think about costs: a slider and an exact field each.
#[component]
pub fn AssumptionsPanel() -> impl IntoView {
    let wb = use_workbook();
    // The set of fields changes only when roles change, not on every value change.
    let params = Memo::new(move |_| wb.assumptions.with(Param::shown));
    view! {
        <aside class="assumptions" aria-labelledby="assumptions-title">
            <h2 id="assumptions-title">{t("panel.title")}</h2>
            <p class="hint">{t("panel.hint")}</p>
            {Group::ALL
                .into_iter()
                .map(|group| {
                    let in_group = move || {
                        let a = wb.assumptions.get_untracked();
                        params
                            .get()
                            .into_iter()
                            .filter(|p| p.meta(&a).group == group)
                            .collect::<Vec<_>>()
                    };
                    let legend = format!("group.{}", group.key());
                    view! {
                        <fieldset class="assumption-group" class:empty=move || in_group().is_empty()>
                            <legend>{move || tr(wb.lang.get(), &legend)}</legend>
                            <For each=in_group key=|p| *p let:param>
                                <AssumptionField param=param/>
                            </For>
                        </fieldset>
                    }
                })
                .collect_view()}
        </aside>
    }
}

/// The label of a parameter, with its role or age bucket.
pub fn label(
    lang: profitbook_engine::i18n::Lang,
    param: Param,
    key: &str,
    role: Option<&str>,
) -> String {
    let a_key = |k: &str| tr(lang, &format!("param.{k}")).to_string();
    match param {
        Param::RoleRate(_) => fill(&a_key("role_rate"), &[("role", role.unwrap_or(""))]),
        Param::WriteOff(b) => fill(
            &a_key("write_off"),
            &[("bucket", tr(lang, &format!("bucket.{b}")))],
        ),
        _ => a_key(key),
    }
}

/// The unit shown after the field; plain money amounts need none (the label names them).
fn unit_key(unit: Unit) -> Option<&'static str> {
    match unit {
        Unit::Percent => Some("unit.percent"),
        Unit::Money => None,
        Unit::MoneyPerHour => Some("unit.money_per_hour"),
        Unit::Months => Some("unit.months"),
    }
}

/// One assumption: label, slider, exact number, unit, default, reset, and the reason a typed
/// value is refused.
#[component]
fn AssumptionField(param: Param) -> impl IntoView {
    let wb = use_workbook();
    let (meta, role, testid) = wb.assumptions.with_untracked(|a| {
        let role = match param {
            Param::RoleRate(i) => a.roles.get(i).map(|r| r.role.clone()),
            _ => None,
        };
        let testid = format!(
            "assumption-{}",
            param.field(a).replace(['[', ' '], "-").replace(']', "")
        );
        (param.meta(a), role, testid)
    });
    let unit = meta.unit;
    let id = testid.clone();
    let value = move || {
        wb.assumptions
            .with(|a| param.get(a))
            .map(|v| to_display(unit, v).to_string())
            .unwrap_or_default()
    };
    // What the person reads and types: the language's decimal mark ("0,5" in Polish). The
    // slider keeps the browser's own form ("0.5").
    let locale = wb.locale_untracked();
    let typed = move || {
        wb.assumptions
            .with(|a| param.get(a))
            .map(|v| locale.editable(to_display(unit, v)))
            .unwrap_or_default()
    };
    let default_text = param
        .default_value()
        .map(|v| locale.decimal(to_display(unit, v)))
        .unwrap_or_default();
    let (error, set_error) = signal(None::<String>);
    let apply = move |text: String| match from_display(unit, &text) {
        Err(_) => set_error.set(Some(fill(
            tr(wb.lang.get_untracked(), "panel.not_a_number"),
            &[("value", &text)],
        ))),
        Ok(v) => {
            let mut result = Ok(());
            wb.assumptions.update(|a| result = param.set(a, v));
            set_error.set(
                result
                    .err()
                    .map(|e| problem_text(wb.lang.get_untracked(), Some(unit), &e)),
            );
        }
    };
    let reset = move |_| {
        if let Some(v) = param.default_value() {
            apply(to_display(unit, v).to_string());
        }
    };
    let lang = wb.lang;
    let role_for_label = role.clone();
    let label_text = move || label(lang.get(), param, meta.key, role_for_label.as_deref());
    let reset_label = {
        let default_text = default_text.clone();
        move || {
            fill(
                tr(lang.get(), "panel.reset_label"),
                &[
                    ("name", &label(lang.get(), param, meta.key, role.as_deref())),
                    ("value", &default_text),
                ],
            )
        }
    };
    let slider_min = to_display(unit, meta.min).to_string();
    let slider_max = to_display(unit, meta.max).to_string();
    // Screen readers hear the value with its unit ("3 %"), not a bare number.
    let value_text = move || {
        let unit_text = unit_key(unit).map_or("", |k| tr(lang.get(), k));
        format!("{} {unit_text}", typed()).trim_end().to_string()
    };
    let step = to_display(unit, meta.step).to_string();
    let error_id = format!("{id}-error");
    let label_id = format!("{id}-label");
    view! {
        <div class="assumption" class:invalid=move || error.get().is_some()>
            <label for=id.clone() id=label_id.clone()>{label_text}</label>
            <div class="assumption-inputs">
                <input
                    type="range"
                    min=slider_min
                    max=slider_max
                    aria-valuetext=value_text
                    step=step.clone()
                    prop:value=value
                    aria-labelledby=label_id
                    data-testid=format!("{testid}-slider")
                    on:input=move |ev| apply(event_target_value(&ev))
                />
                <input
                    type="text"
                    inputmode="decimal"
                    id=id.clone()
                    class="exact"
                    prop:value=typed
                    aria-describedby=error_id.clone()
                    aria-invalid=move || error.get().is_some().to_string()
                    data-testid=testid.clone()
                    on:change=move |ev| apply(event_target_value(&ev))
                />
                <span class="unit">{move || unit_key(unit).map(|k| tr(lang.get(), k))}</span>
                <button
                    type="button"
                    class="reset"
                    aria-label=reset_label
                    data-testid=format!("{testid}-reset")
                    on:click=reset
                >
                    {t("panel.reset")}
                </button>
            </div>
            <p class="default">
                {move || fill(tr(lang.get(), "panel.default"), &[("value", &default_text)])}
            </p>
            <p class="error" id=error_id role="alert" data-testid=format!("{testid}-error")>
                {move || error.get()}
            </p>
        </div>
    }
}
