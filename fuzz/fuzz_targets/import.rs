//! Any bytes through every step of the import, as the page runs them: read (text or XLSX),
//! propose a plan, preview, stage and aggregate. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use profitbook_engine::date::Date;
use profitbook_engine::import::{self, preview, propose, Staging};

fuzz_target!(|data: &[u8]| {
    let today = Date::new(2026, 11, 23).expect("valid date");
    let Ok(sources) = import::read_sources("fuzz.csv", data) else {
        return;
    };
    let mut staging = Staging::default();
    for source in &sources {
        let proposal = propose(&source.grid, today);
        let _ = preview(&source.grid, &proposal.plan, 5);
        if proposal.plan.problems(&source.grid).is_empty() {
            staging.add(source, &proposal.plan);
        }
    }
    let finished = staging.finish();
    for file in &finished.files {
        assert_eq!(file.read, file.used + file.rejected);
    }
});
