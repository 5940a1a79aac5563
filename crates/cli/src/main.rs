//! `profitbook report --workbook X.profitbook.json --out report.xlsx|.csv|.html`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match profitbook_cli::run(&args) {
        Ok(done) => println!("{done}"),
        Err(problem) => {
            eprintln!("profitbook: {problem}");
            std::process::exit(2);
        }
    }
}
