//! The one translation table: every user-visible string of the workbook, its exports and
//! reports, looked up by key. English (`en.rs`) is the reference; every other language has
//! exactly its keys, with the plural forms the language needs (the tests below check it).

mod en;
mod es;
mod hu;
mod id;
mod pl;

use en::EN;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A language of the workbook.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Hu,
    Es,
    Id,
    Pl,
}

/// A CLDR plural category: which form of a counted text a number takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Many,
    Other,
}

impl Plural {
    fn suffix(self) -> &'static str {
        match self {
            Plural::One => "#one",
            Plural::Few => "#few",
            Plural::Many => "#many",
            Plural::Other => "#other",
        }
    }
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Hu, Lang::Es, Lang::Id, Lang::Pl];

    /// The language's BCP 47 code, for `lang` attributes and for remembering the choice.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Hu => "hu",
            Lang::Es => "es",
            Lang::Id => "id",
            Lang::Pl => "pl",
        }
    }

    /// The language of a BCP 47 tag such as "pl-PL" or "es-419", by its primary subtag
    /// ("in" is Indonesian's code before 1989, still sent by some systems).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "hu" => Some(Lang::Hu),
            "es" => Some(Lang::Es),
            "id" | "in" => Some(Lang::Id),
            "pl" => Some(Lang::Pl),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages that the workbook speaks, else English.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }

    /// The CLDR plural category of a whole number in this language.
    pub fn plural(self, n: u64) -> Plural {
        match self {
            Lang::En | Lang::Hu => {
                if n == 1 {
                    Plural::One
                } else {
                    Plural::Other
                }
            }
            // "1 cliente", "1.000.000 de clientes", "2 clientes".
            Lang::Es => {
                if n == 1 {
                    Plural::One
                } else if n != 0 && n % 1_000_000 == 0 {
                    Plural::Many
                } else {
                    Plural::Other
                }
            }
            Lang::Id => Plural::Other,
            // "1 plik", "2 pliki", "5 plików", "12 plików", "22 pliki".
            Lang::Pl => {
                let (m10, m100) = (n % 10, n % 100);
                if n == 1 {
                    Plural::One
                } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                    Plural::Few
                } else {
                    Plural::Many
                }
            }
        }
    }

    /// The plural categories whole numbers reach in this language: the forms its table must
    /// give for every counted text.
    pub fn plural_forms(self) -> &'static [Plural] {
        match self {
            Lang::En | Lang::Hu => &[Plural::One, Plural::Other],
            Lang::Es => &[Plural::One, Plural::Many, Plural::Other],
            Lang::Id => &[Plural::Other],
            Lang::Pl => &[Plural::One, Plural::Few, Plural::Many],
        }
    }
}

fn table(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => EN,
        Lang::Es => es::ES,
        Lang::Id => id::ID,
        Lang::Hu => hu::HU,
        Lang::Pl => pl::PL,
    }
}

/// Keys whose text is the same in every language: the product's name, each language's name in
/// itself, the percent sign and encodings' names.
#[cfg(test)]
const SAME_IN_EVERY_LANGUAGE: &[&str] = &[
    "app.title",
    "language.en",
    "language.hu",
    "language.es",
    "language.id",
    "language.pl",
    "unit.percent",
    "encoding.utf-8",
    "encoding.utf-16be",
];

/// Keys whose text is rightly the same as the English one in `lang` (names, codes); any other
/// text equal to the English is an untranslated one.
#[cfg(test)]
fn same_as_english(lang: Lang) -> Vec<&'static str> {
    let own = match lang {
        Lang::Es => es::ES_SAME_AS_ENGLISH,
        Lang::Id => id::ID_SAME_AS_ENGLISH,
        Lang::Hu => hu::HU_SAME_AS_ENGLISH,
        Lang::Pl => pl::PL_SAME_AS_ENGLISH,
        Lang::En => return Vec::new(),
    };
    SAME_IN_EVERY_LANGUAGE.iter().chain(own).copied().collect()
}

/// Each language's table as a map, built on first use: the page looks texts up on every
/// render, and a linear search through 500 keys would show at 10,000 chart points.
fn index(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    static INDEX: [OnceLock<HashMap<&str, &str>>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    INDEX[lang as usize].get_or_init(|| table(lang).iter().copied().collect())
}

/// The text of `key` in `lang`, falling back to English; empty when the key is missing
/// everywhere (the tests below walk every key the code builds, so none is).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    index(lang)
        .get(key)
        .or_else(|| index(Lang::En).get(key))
        .copied()
        .unwrap_or("")
}

/// The form of the counted text `key` that `n` takes in `lang` ("1 customer", "2 klientów").
/// The caller fills the placeholders, the number included.
pub fn tr_n(lang: Lang, key: &str, n: u64) -> &'static str {
    let form = |lang: Lang, plural: Plural| {
        let mut full = String::with_capacity(key.len() + 6);
        full.push_str(key);
        full.push_str(plural.suffix());
        index(lang).get(full.as_str()).copied()
    };
    form(lang, lang.plural(n))
        .or_else(|| form(Lang::En, Lang::En.plural(n)))
        .unwrap_or("")
}

/// A counted noun such as "250 customers", to go whole into another text.
pub fn count(lang: Lang, noun: &str, n: u64) -> String {
    fill(
        tr_n(lang, &format!("count.{noun}"), n),
        &[("count", &crate::format::integer(lang, n as i64))],
    )
}

/// Every key of the reference table (plural forms with their `#form` suffix): for the test
/// that checks each key the code names exists.
pub fn english_keys() -> impl Iterator<Item = &'static str> {
    EN.iter().map(|(k, _)| *k)
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet, HashSet};

    #[test]
    fn keys_are_unique_and_texts_non_empty() {
        for lang in Lang::ALL {
            let mut seen = HashSet::new();
            for (k, v) in table(lang) {
                assert!(seen.insert(*k), "{lang:?}: duplicate key {k}");
                assert!(!v.trim().is_empty(), "{lang:?}: empty text for {k}");
            }
        }
    }

    /// A key the code looks up: a plain text, or a counted text with its forms.
    fn exists(key: &str) -> bool {
        EN.iter()
            .any(|(k, _)| *k == key || k.strip_suffix("#other") == Some(key))
    }

    /// Keys the code builds at run time from enums: each must exist.
    #[test]
    fn every_key_built_at_run_time_exists() {
        use crate::assumptions::{Assumptions, Group, Param};
        use crate::drivers::AGE_BUCKETS;
        use crate::views::Action;
        let a = Assumptions::default();
        let mut keys: Vec<String> = Vec::new();
        keys.extend(Action::ALL.iter().map(|x| format!("action.{}", x.key())));
        keys.extend(
            [
                crate::views::Rule::TopByProfit,
                crate::views::Rule::SalesEffortExceedsShare,
                crate::views::Rule::Profitable,
                crate::views::Rule::ReferralsCoverLoss,
                crate::views::Rule::AcquisitionCostOnly,
                crate::views::Rule::LossBeyondShare,
                crate::views::Rule::LowGrossMargin,
                crate::views::Rule::HighCostToServe,
            ]
            .iter()
            .map(|r| format!("rule.{}", r.key())),
        );
        keys.extend(
            crate::table::Column::all()
                .iter()
                .map(|c| format!("col.{}", c.key())),
        );
        keys.extend(
            crate::views::Quadrant::ALL
                .iter()
                .map(|q| format!("quadrant.{}", q.key())),
        );
        keys.extend(Group::ALL.iter().map(|g| format!("group.{}", g.key())));
        keys.extend(
            Param::all(&a)
                .iter()
                .map(|p| format!("param.{}", p.meta(&a).key)),
        );
        keys.extend((0..AGE_BUCKETS).map(|b| format!("bucket.{b}")));
        // One message per kind of refused assumption (the app's messages.rs).
        keys.extend(
            [
                "negative",
                "out_of_range",
                "not_whole",
                "too_precise",
                "too_large",
                "unknown_role",
                "unknown_attribute",
                "unknown_field",
                "zero_capacity",
                "counted_twice",
            ]
            .map(|p| format!("problem.{p}")),
        );
        // The import's vocabulary.
        use crate::import::{CellProblem, Field, TableKind};
        keys.extend(Field::all().iter().map(|f| format!("field.{}", f.key())));
        keys.extend(
            TableKind::ALL
                .iter()
                .map(|t| format!("import.table.{}", t.key())),
        );
        keys.extend(
            CellProblem::examples()
                .iter()
                .map(|p| format!("cell.{}", p.key())),
        );
        keys.extend(
            crate::drivers::RejectReason::EXAMPLES
                .iter()
                .map(|r| format!("reject.{}", r.key())),
        );
        keys.extend(
            crate::facts::ActivityKind::ALL
                .iter()
                .map(|k| format!("activity.{}", k.key())),
        );
        keys.extend(
            crate::import::decode::Encoding::ALL
                .iter()
                .map(|e| format!("encoding.{}", e.key())),
        );
        keys.extend(
            crate::import::delimited::Separator::ALL
                .iter()
                .map(|s| format!("separator.{}", s.key())),
        );
        keys.extend(
            crate::parse::date::DateOrder::ALL
                .iter()
                .map(|o| format!("dateorder.{}", o.key())),
        );
        keys.extend(crate::currency::Currency::ALL.iter().flat_map(|c| {
            [
                format!("currency.{}", c.code()),
                format!("currency.amounts_in.{}", c.code()),
            ]
        }));
        keys.extend(Lang::ALL.iter().map(|l| format!("language.{}", l.code())));
        keys.extend((1..=12).map(|m| format!("month.{m}")));
        for key in keys {
            assert!(exists(&key), "missing translation key {key}");
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        let t = tr_n(Lang::En, "kpi.unprofitable_detail", 10);
        assert_eq!(
            fill(t, &[("count", "3"), ("total", "10")]),
            "3 of 10 customers"
        );
    }

    #[test]
    fn plural_categories_follow_cldr() {
        use Plural::*;
        let pl: Vec<Plural> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 102, 112, 1_000]
            .iter()
            .map(|n| Lang::Pl.plural(*n))
            .collect();
        assert_eq!(
            pl,
            [Many, One, Few, Few, Many, Many, Many, Many, Many, Few, Many, Few, Many, Many]
        );
        assert_eq!(Lang::Es.plural(1), One);
        assert_eq!(Lang::Es.plural(2), Other);
        assert_eq!(Lang::Es.plural(2_000_000), Many);
        assert_eq!(Lang::Es.plural(2_000_001), Other);
        assert_eq!(Lang::Hu.plural(1), One);
        assert_eq!(Lang::Hu.plural(0), Other);
        assert_eq!(Lang::Id.plural(1), Other);
        assert_eq!(Lang::En.plural(0), Other);
        for lang in Lang::ALL {
            for n in 0..2_000 {
                assert!(
                    lang.plural_forms().contains(&lang.plural(n)),
                    "{lang:?} {n}"
                );
            }
        }
    }

    #[test]
    fn counted_nouns_take_each_languages_form() {
        assert_eq!(count(Lang::En, "customers", 1), "1 customer");
        assert_eq!(count(Lang::En, "customers", 1_250), "1,250 customers");
        assert_eq!(
            tr_n(Lang::En, "table.shown", 1),
            "Showing {shown} of {total} customer"
        );
    }

    #[test]
    fn browser_languages_choose_the_first_spoken_one() {
        assert_eq!(Lang::preferred(["de-DE", "pl-PL", "en"]), Lang::Pl);
        assert_eq!(Lang::preferred(["es-419"]), Lang::Es);
        assert_eq!(Lang::preferred(["in"]), Lang::Id);
        assert_eq!(Lang::preferred(["HU"]), Lang::Hu);
        assert_eq!(Lang::preferred(["fr", "de"]), Lang::En);
        assert_eq!(Lang::preferred([]), Lang::En);
    }

    fn placeholders(text: &str) -> BTreeSet<&str> {
        let mut found = BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            found.insert(&rest[open + 1..open + close]);
            rest = &rest[open + close + 1..];
        }
        found
    }

    /// Every language has every English text: plain texts with the same placeholders, counted
    /// texts with exactly the plural forms the language needs and, between them, the same
    /// placeholders; nothing is left in English unless listed as rightly the same.
    #[test]
    fn every_language_has_every_text_with_its_placeholders_and_plural_forms() {
        let english: BTreeMap<&str, &str> = EN.iter().copied().collect();
        let mut counted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (k, v) in EN {
            if let Some((base, _)) = k.split_once('#') {
                counted.entry(base).or_default().extend(placeholders(v));
            }
        }
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let texts: BTreeMap<&str, &str> = table(lang).iter().copied().collect();
            let mut problems = Vec::new();
            for (key, text) in &english {
                if key.contains('#') {
                    continue;
                }
                match texts.get(key) {
                    None => problems.push(format!("missing {key}")),
                    Some(t) if placeholders(t) != placeholders(text) => {
                        problems.push(format!("placeholders of {key}: {t}"))
                    }
                    Some(_) => {}
                }
            }
            for (base, wanted) in &counted {
                let mut together = BTreeSet::new();
                for form in lang.plural_forms() {
                    let key = format!("{base}{}", form.suffix());
                    match texts.get(key.as_str()) {
                        None => problems.push(format!("missing plural form {key}")),
                        Some(t) => together.extend(placeholders(t)),
                    }
                }
                if &together != wanted {
                    problems.push(format!("placeholders of the forms of {base}: {together:?}"));
                }
            }
            for key in texts.keys() {
                let known = match key.split_once('#') {
                    Some((base, form)) => {
                        counted.contains_key(base)
                            && lang
                                .plural_forms()
                                .iter()
                                .any(|f| f.suffix() == format!("#{form}"))
                    }
                    None => english.contains_key(key),
                };
                if !known {
                    problems.push(format!("{key} is not an English key or form"));
                }
            }
            let same = same_as_english(lang);
            for (key, text) in &texts {
                if english.get(key) == Some(text) && !same.contains(key) {
                    problems.push(format!("left in English: {key}"));
                }
            }
            for key in &same {
                if english.get(key) != texts.get(key) {
                    problems.push(format!("{key} is listed as the same as English but is not"));
                }
            }
            assert!(problems.is_empty(), "{lang:?}:\n{}", problems.join("\n"));
        }
    }

    /// Excel refuses sheet names over 31 characters or with any of []:*?/\ in them.
    #[test]
    fn sheet_names_are_valid_in_every_language() {
        for lang in Lang::ALL {
            for (key, name) in table(lang) {
                if key.starts_with("export.sheet.") {
                    assert!(name.chars().count() <= 31, "{lang:?} {key}");
                    assert!(
                        !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
                        "{lang:?} {key}"
                    );
                }
            }
        }
    }
}
