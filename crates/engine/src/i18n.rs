//! The one translation table: every user-visible string of the workbook, its exports and
//! reports, looked up by key. Languages are added as further tables with the same keys.

/// A language of the workbook.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
}

impl Lang {
    /// The language's BCP 47 code, for `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
        }
    }
}

/// English. Keys are grouped by where they appear; `{name}` placeholders are filled by [`fill`].
const EN: &[(&str, &str)] = &[
    ("app.title", "Profitbook"),
    ("app.tagline", "Which of your customers actually make you money?"),
    ("app.large_type", "Large type"),
    ("app.privacy", "Your data stays in this browser: nothing is sent anywhere."),
    ("data.sample_loaded", "Sample company loaded: {customers} customers, {months} months of invoices, time logs and activities."),
    ("kpi.region_label", "Headline figures"),
    ("export.title", "Share and export"),
    ("export.csv", "Download results as CSV"),
    ("export.csv_locale", "Decimal comma and semicolons, for Excel in such languages"),
    ("export.csv_done", "The CSV is in your downloads: one row per customer, with every P&L line."),
    ("export.xlsx", "Download results as Excel"),
    ("export.xlsx_done", "The Excel workbook is in your downloads: summary, customers, segments, whale curve and assumptions."),
    ("export.xlsx_failed", "The Excel workbook could not be made:"),
    ("export.report", "Report to print or save as PDF"),
    ("export.report_close", "Back to the workbook"),
    ("export.report_print", "Print or save as PDF"),
    ("export.report_download", "Download as one HTML file"),
    ("export.save_workbook", "Save workbook file"),
    ("export.open_workbook", "Open workbook file"),
    ("export.workbook_saved", "The workbook file is in your downloads: data, how it was read, assumptions, scenarios and view. Open it here later, or send it."),
    ("export.workbook_opened", "Opened {file}: {customers} customers and {scenarios} scenarios."),
    ("export.open_refused", "{file} was not opened and nothing changed: it {why}."),
    ("export.open_unreadable", "{file} could not be read from the disk; nothing changed."),
    ("export.open_bad_assumptions", "holds {count} assumptions that this workbook refuses"),
    ("export.share", "Make a share link"),
    ("export.link_label", "Share link (assumptions and scenarios, never your customers' data)"),
    ("export.link_made", "The link is copied when the browser allows it, and shown below. It carries your assumptions and scenarios only; whoever opens it applies them to their own data."),
    ("export.privacy", "Every file is made in this page from the figures on screen; nothing is sent anywhere."),
    ("share.applied", "The shared link's assumptions and {scenarios} scenarios are applied to your data ({customers} customers). The link held no customer data. Undo (Ctrl+Z) puts your own assumptions back."),
    ("share.not_applied", "The shared link was not applied: {why}."),
    ("share.refused", "The shared link was not applied: {count} of its assumptions do not fit your data. Nothing was changed."),
    ("report.title", "Customer profitability report"),
    ("report.customers", "{count} customers."),
    ("report.window", "Invoices, time and activities from {from} to {to}."),
    ("report.scenario", "Assumptions: {name}"),
    ("report.unsaved", "current assumptions (not saved as a scenario)"),
    ("report.headline", "Headline figures"),
    ("report.peak", "{value} ({share} of total net profit), reached by the top {count} customers"),
    ("report.pnl", "Profit and loss of all customers"),
    ("report.money_caption", "Money in the workbook's currency."),
    ("report.line", "Line"),
    ("report.total", "All customers"),
    ("report.top_title", "Most and least profitable customers"),
    ("report.top", "The 10 most profitable customers"),
    ("report.bottom", "The 10 least profitable customers, largest loss first"),
    ("report.groups_cut", "The {shown} groups with the most net profit, of {total}"),
    ("report.drift_listed", "Customers that crossed into loss, largest loss first (at most 20)"),
    ("report.assumptions", "Assumptions"),
    ("report.assumptions_caption", "Every cost assumption the figures were computed with."),
    ("report.group", "Group"),
    ("report.assumption", "Assumption"),
    ("report.value", "Value"),
    ("report.comparison", "Scenario {a} against {b}"),
    ("report.flips", "{count} customers change between profit and loss."),
    ("report.difference", "Difference"),
    ("report.rank", "Rank"),
    ("report.not_applicable", "n/a"),
    ("report.peak_customers", "Customers it takes to reach the peak"),
    ("report.footer", "Profitbook report, {date}, {scenario}"),
    ("kpi.total_revenue", "Total revenue"),
    ("kpi.net_profit", "Total net profit"),
    ("kpi.unprofitable_share", "Unprofitable customers"),
    ("kpi.unprofitable_detail", "{count} of {total} customers"),
    ("kpi.whale_peak", "Whale-curve peak"),
    ("kpi.whale_peak_detail", "reached by the top {count} customers"),
    ("kpi.whale_peak_undefined", "n/a: total profit is not positive"),
    ("chart.as_table", "Show as a table"),
    ("chart.drift.title", "Customers drifting into loss"),
    ("chart.drift.caption", "Customers that were profitable and now lose money month after month, by the month their loss began. A loss counts when three months lose money even leaving out the worst one, so one month without an invoice is not drift."),
    ("chart.drift.summary", "{crossed} customers crossed into loss; {trending} more show profit falling while service time rises."),
    ("chart.drift.bar", "{month}: {count} customers began to lose money"),
    ("chart.drift.list", "Show the customers"),
    ("chart.drift.since", "Losing money since"),
    ("chart.drift.progress", "Looking for drifting customers"),
    ("chart.matrix.title", "Profitability matrix"),
    ("chart.matrix.caption", "Each customer's cost to serve against its net margin, both as shares of its revenue, split at the company's own shares. Larger points bring more revenue; click one for the customer's detail."),
    ("chart.matrix.shown", "Showing the {shown} customers with the most revenue, of {total}."),
    ("chart.matrix.beyond", "{count} of them lie beyond the axes and are drawn hollow on the edge; point at one for its figures."),
    ("chart.matrix.point", "{name} ({id}): cost to serve {cost} of revenue, net margin {margin}, revenue {revenue}"),
    ("chart.matrix.x_axis", "Cost to serve (% of the customer's revenue)"),
    ("chart.matrix.y_axis", "Net margin (%)"),
    ("chart.matrix.table_caption", "Customers, revenue and net profit in each quadrant. Money in the workbook's currency."),
    ("chart.segments.title", "Net profit by customer group"),
    ("chart.segments.by", "Group customers by"),
    ("chart.segments.unprofitable", "Unprofitable"),
    ("chart.segments.table_caption", "The P&L of each group of customers; the groups add up to the company's totals. Money in the workbook's currency."),
    ("chart.whale.title", "Whale curve"),
    ("chart.whale.caption", "Cumulative net profit as customers are added, most profitable first. The curve rises above total profit while profitable customers are added, peaks, and falls back as the loss-makers give profit away."),
    ("chart.whale.control", "Whale curve: point at it, or use the arrow keys, to read a customer"),
    ("chart.whale.hint", "Point at the curve, or focus it and use the arrow keys, to read any customer on it."),
    ("chart.whale.readout", "{name} ({id}), customer {rank} of {total}: cumulative net profit {value}, {share} of total net profit"),
    ("chart.whale.x_axis", "Customers, most profitable first (% of all customers)"),
    ("chart.whale.y_axis", "Cumulative net profit"),
    ("chart.whale.peak", "Peak {value} after {count} customers"),
    ("chart.whale.total", "Total net profit {value}"),
    ("chart.whale.table_caption", "The whale curve after each tenth of the customers, most profitable first. Money in the workbook's currency."),
    ("chart.whale.col_top", "Top customers"),
    ("chart.whale.col_customers", "Customers"),
    ("chart.whale.col_cumulative", "Cumulative net profit"),
    ("chart.whale.col_share", "Share of total net profit"),
    ("table.title", "Customers"),
    ("storage.opening", "Opening the workbook kept in this browser..."),
    ("storage.saved", "Kept in this browser: it opens as you left it."),
    ("storage.refused", "This browser does not let the workbook be kept (storage full or refused): it works on in memory, and closing the page loses it"),
    ("storage.not_restored", "The workbook kept in this browser could not be opened and was left as it was; the sample company is shown"),
    ("sensitivity.title", "Which assumptions matter most"),
    ("sensitivity.caption", "Each assumption that changes net profit, moved down and up by the share below, ranked by how far total net profit moves: the widest bars are the assumptions worth getting right."),
    ("sensitivity.share", "Move each assumption by"),
    ("sensitivity.run", "Rank the assumptions"),
    ("sensitivity.progress", "Ranking the assumptions"),
    ("sensitivity.bad_share", "Type a share between 0% and 100%, e.g. 10."),
    ("sensitivity.stale", "The assumptions have changed since this ranking: rank them again to follow."),
    ("sensitivity.today", "Total net profit now {value}"),
    ("sensitivity.bar", "{name}: at {low}, total net profit {net_low}; at {high}, {net_high}"),
    ("sensitivity.table_caption", "Total net profit with each assumption moved down and up, largest swing first. Money in the workbook's currency."),
    ("sensitivity.col_assumption", "Assumption"),
    ("sensitivity.col_low", "Moved down to"),
    ("sensitivity.col_net_low", "Net profit"),
    ("sensitivity.col_high", "Moved up to"),
    ("sensitivity.col_net_high", "Net profit"),
    ("sensitivity.col_swing", "Swing"),
    ("scenario.region", "Scenarios"),
    ("scenario.current", "Scenario"),
    ("scenario.unsaved", "Unsaved assumptions"),
    ("scenario.update", "Save changes to this scenario"),
    ("scenario.name", "Scenario name"),
    ("scenario.save_as", "Save as new scenario"),
    ("scenario.rename", "Rename"),
    ("scenario.duplicate", "Duplicate"),
    ("scenario.delete", "Delete"),
    ("scenario.undo", "Undo"),
    ("scenario.redo", "Redo"),
    ("scenario.name_empty", "Give the scenario a name."),
    ("scenario.name_taken", "A scenario is already called {name}: choose another name."),
    ("scenario.compare_with", "Compare the scenario"),
    ("scenario.compare_none", "No comparison"),
    ("scenario.compare_caption", "{name} against {other}. Money in the workbook's currency."),
    ("scenario.compare_to", "against"),
    ("scenario.current_assumptions", "The assumptions now"),
    ("scenario.now", "Now"),
    ("scenario.change", "Change"),
    ("scenario.unprofitable_change", "Unprofitable customers: {before}, then {after}."),
    ("scenario.flips", "Customers that cross between profit and loss"),
    ("scenario.flip_up", "{customer} becomes profitable: {before} -> {after}"),
    ("scenario.flip_down", "{customer} falls into loss: {before} -> {after}"),
    ("scenario.no_flips", "None: every customer stays on the same side."),
    ("scenario.largest", "The ten customers whose net profit moves most"),
    ("prospect.title", "Prospect calculator"),
    ("prospect.caption", "An expected customer, run through the same model as your customers with the assumptions on the left: what a year of it earns, what it is worth over its life, and how soon winning it pays back."),
    ("prospect.revenue_per_year", "Expected revenue per year"),
    ("prospect.gross_margin_pct", "Its gross margin"),
    ("prospect.service_hours_per_year", "Service hours per year"),
    ("prospect.sales_hours_to_win", "Sales hours to win it"),
    ("prospect.retention", "Retention per year"),
    ("prospect.service_role", "Served by"),
    ("prospect.sales_role", "Won by"),
    ("prospect.activities", "Expected orders, deliveries, returns, tickets and visits"),
    ("prospect.orders_per_year", "Orders per year"),
    ("prospect.deliveries_per_year", "Deliveries per year"),
    ("prospect.returns_per_year", "Returns per year"),
    ("prospect.tickets_per_year", "Support tickets per year"),
    ("prospect.visits_per_year", "Sales visits per year"),
    ("prospect.net_profit", "Expected net profit per year"),
    ("prospect.clv", "Lifetime value"),
    ("prospect.acquisition", "Cost of winning it"),
    ("prospect.payback", "Payback"),
    ("prospect.payback_months", "{months} months"),
    ("prospect.never_pays_back", "never: it does not earn its cost back"),
    ("prospect.lines", "Its P&L for a year"),
    ("prospect.lines_caption", "A year of the prospect by the customers' formulas; the one-off cost of winning it is shown apart."),
    ("prospect.not_numbers", "Not a number: {fields}. Type digits with a decimal point or comma; counts are whole numbers."),
    ("prospect.unknown_role", "No role called {role} has an hourly rate."),
    ("prospect.wrong_line", "{role} is not a {line} role."),
    ("prospect.no_role", "No {line} role prices these hours: add one to the hourly rates."),
    ("prospect.line_sales", "sales"),
    ("prospect.line_service", "service"),
    ("prospect.retention_out_of_range", "Retention must be between 0% and 100%."),
    ("prospect.negative_discount", "The discount rate cannot be negative."),
    ("prospect.no_finite_value", "Margins would grow faster than they are discounted and lost (1 + discount = {one_plus_d} is not above retention x (1 + growth) = {r_g})."),
    ("detail.close", "Close"),
    ("detail.action", "Recommended action: {action}. Why: {why}"),
    ("detail.waterfall", "From revenue to net profit to total value"),
    ("detail.waterfall_caption", "Each line of the customer's P&L: totals as they stand, costs with a minus sign, referral value and advocacy with a plus sign. Money in the workbook's currency."),
    ("detail.trend", "Net profit by month"),
    ("detail.trend_caption", "The customer's net profit in each month of the data, by the same formulas as the totals; each month is rounded on its own."),
    ("detail.no_drift", "No drift: this customer has not slid into loss."),
    ("detail.referrals", "Referrals"),
    ("detail.referred", "Brought in {customer}"),
    ("detail.referred_anyway", "Referred {customer}, who would have come anyway"),
    ("detail.referred_by", "Brought in by {customer}"),
    ("detail.no_referrals", "No referrals recorded for this customer."),
    ("drift.crossed_into_loss", "Crossed into loss: every three months since {since} lost money, even leaving out the worst month."),
    ("drift.profit_falling_service_rising", "Profit falling while service time rises, {from} to {to}."),
    ("rule.top_by_profit", "profitable and among the top customers by net profit."),
    ("rule.sales_effort_exceeds_share", "profitable, but sales effort takes more than the set share of its gross margin."),
    ("rule.profitable", "profitable."),
    ("rule.referrals_cover_loss", "it loses money on its own, but its referral and advocacy value cover the loss."),
    ("rule.acquisition_cost_only", "the loss is no more than this period's cost of winning the customer: a sunk cost, not a reason to end the relationship."),
    ("rule.loss_beyond_share", "it loses more than the set share of its revenue, even after referral and advocacy value."),
    ("rule.low_gross_margin", "it loses money with a gross margin below the company's: the price is the problem."),
    ("rule.high_cost_to_serve", "it loses money with a normal gross margin: serving it costs too much."),
    ("table.shown", "Showing {shown} of {total} customers"),
    ("table.totals_shown", "Total of customers shown"),
    ("table.search", "Search customers"),
    ("table.search_placeholder", "Name or ID"),
    ("table.filter_profit", "Profit"),
    ("table.filter_all", "All"),
    ("table.filter_profitable", "Profitable"),
    ("table.filter_unprofitable", "Unprofitable"),
    ("table.filter_action", "Recommended action"),
    ("table.filter_attribute", "Customer group"),
    ("table.columns", "Columns"),
    ("col.cogs", "Cost of goods"),
    ("col.commission", "Commission"),
    ("col.sales_cost", "Sales cost"),
    ("col.acquisition", "Acquisition"),
    ("col.service_cost", "Service cost"),
    ("col.equipment", "Equipment"),
    ("col.handling", "Order handling"),
    ("col.financing", "Financing"),
    ("col.bad_debt", "Bad debt"),
    ("col.referral_value", "Referral value"),
    ("col.advocacy", "Advocacy"),
    ("col.total_value", "Total value"),
    ("col.cost_to_serve_pct", "Cost to serve %"),
    ("col.quadrant", "Quadrant"),
    ("quadrant.high_margin_low_cost", "High margin, low cost to serve"),
    ("quadrant.high_margin_high_cost", "High margin, high cost to serve"),
    ("quadrant.low_margin_low_cost", "Low margin, low cost to serve"),
    ("quadrant.low_margin_high_cost", "Low margin, high cost to serve"),
    ("quadrant.no_revenue", "No revenue"),
    ("table.caption", "Each customer's P&L lines in the workbook's currency, sorted as the column headers say. Each line is rounded to the cent; the totals are the sum of the lines."),
    ("table.totals", "Total"),
    ("table.no_revenue", "n/a"),
    ("col.customer_id", "Customer ID"),
    ("col.customer_name", "Customer"),
    ("col.revenue", "Revenue"),
    ("col.gross_margin", "Gross margin"),
    ("col.cost_to_serve", "Cost to serve"),
    ("col.net_profit", "Net profit"),
    ("col.margin_pct", "Net margin"),
    ("col.action", "Recommended action"),
    ("action.develop_and_reward", "Develop and reward"),
    ("action.keep", "Keep"),
    ("action.reprice", "Reprice"),
    ("action.reduce_cost_to_serve", "Reduce cost to serve"),
    ("action.scale_back_effort", "Scale back effort"),
    ("action.consider_ending", "Consider ending"),
    ("panel.title", "Assumptions"),
    ("panel.hint", "Drag a slider or type an exact value: every figure follows at once."),
    ("panel.default", "default {value}"),
    ("panel.reset", "Reset"),
    ("panel.reset_label", "Reset {name} to its default, {value}"),
    ("panel.not_a_number", "{value} is not a number. Type digits with a decimal point or comma, e.g. 12.5"),
    ("group.sales_and_acquisition", "Sales and acquisition"),
    ("group.commissions", "Commissions"),
    ("group.service_and_support", "Service and support"),
    ("group.order_handling", "Orders and margin"),
    ("group.payment_and_bad_debt", "Payment and bad debt"),
    ("group.referrals_and_advocacy", "Referrals and advocacy"),
    ("group.lifetime", "Lifetime value"),
    ("unit.percent", "%"),
    ("unit.money_per_hour", "per hour"),
    ("unit.months", "months"),
    ("param.gross_margin_pct", "Gross margin where costs are missing"),
    ("param.commission_rate", "Commission on revenue"),
    ("param.role_rate", "Loaded hourly rate: {role}"),
    ("param.cost_per_visit", "Cost per sales visit"),
    ("param.cost_per_ticket", "Cost per support ticket"),
    ("param.cost_per_order", "Cost per order"),
    ("param.cost_per_delivery", "Cost per delivery"),
    ("param.cost_per_return", "Cost per return"),
    ("param.equipment_rate_per_hour", "Equipment cost per hour worked"),
    ("param.equipment_overhead_pct", "Equipment overhead on wages"),
    ("param.acquisition_cost", "Cost to acquire a new customer"),
    ("param.acquisition_spread_months", "Spread acquisition cost over (0 = expense at once)"),
    ("param.cost_of_capital", "Cost of capital, per year"),
    ("param.write_off", "Write-off probability: {bucket}"),
    ("param.referral_attribution", "Share of a referred customer's profit credited to the referrer"),
    ("param.saved_acquisition_cost", "Acquisition cost saved by a referral"),
    ("param.value_per_case_study", "Value of a case study"),
    ("param.value_per_reference", "Value of a reference"),
    ("param.retention", "Customer retention, per year"),
    ("param.discount_rate", "Discount rate, per year"),
    ("param.growth", "Margin growth, per year"),
    ("problem.negative", "{value} is negative: it must be zero or more."),
    ("problem.out_of_range", "{value} is outside the range {min} to {max}."),
    ("problem.not_whole", "{value} must be a whole number."),
    ("problem.too_precise", "{value} has more decimal places than can be kept exactly."),
    ("problem.too_large", "{value} is too large."),
    ("problem.unknown_role", "Hours are logged for the role {value}, which has no hourly rate: add a rate for it."),
    ("problem.unknown_attribute", "Commission rates are set by {value}, a customer column the data does not have."),
    ("problem.unknown_field", "{field} is not an assumption of this workbook."),
    ("problem.zero_capacity", "Practical capacity must be more than zero minutes ({field})."),
    ("problem.counted_twice", "{value} per unit would be counted twice: a time equation also prices this activity. Set it to zero, or take the activity out of the time equation."),
    ("bucket.0", "not yet due"),
    ("bucket.1", "1-30 days overdue"),
    ("bucket.2", "31-60 days overdue"),
    ("bucket.3", "61-90 days overdue"),
    ("bucket.4", "over 90 days overdue"),
    ("data.title", "Your data"),
    ("data.empty", "No data yet: import your files, paste a range, or load the sample company."),
    ("data.imported", "Imported: {files} files, {customers} customers."),
    ("data.load_sample", "Load sample company"),
    ("data.clear", "Clear data"),
    ("data.clear_confirm", "Remove all data, assumptions and scenarios from this workbook, and its copy kept in this browser?"),
    ("data.clear_yes", "Yes, clear everything"),
    ("data.clear_no", "Keep it"),
    ("import.intro", "Drop CSV, TSV or Excel files anywhere on the page, choose them, or paste a range copied from a spreadsheet (Ctrl+V). Imported data replaces the sample company; later imports add to it."),
    ("import.choose_files", "Choose files"),
    ("import.paste_label", "Or paste a range here"),
    ("import.paste_read", "Read pasted data"),
    ("import.pasted_name", "Pasted data"),
    ("import.too_large", "{name} is {size} MB; this page reads files up to {limit} MB. Split the file, or export only the columns the workbook needs."),
    ("import.file_error", "{name} cannot be read: {reason}"),
    ("import.reading", "Reading {name}…"),
    ("import.step.starting", "Starting the import…"),
    ("import.step.reading", "Reading {name}…"),
    ("import.step.checking", "Checking every row of {name}…"),
    ("import.step.aggregating", "Adding up per customer and month…"),
    ("import.step.sending", "Handing the figures to the workbook…"),
    ("import.abort", "Cancel"),
    ("import.worker_failed", "The import stopped ({detail}). Nothing was changed; try again, or with smaller files."),
    ("import.missing_part", "{name} is no longer available to read: choose the file again."),
    ("import.unready", "{name} cannot be read with these choices: check the columns and the date order."),
    ("import.pending_title", "Check how each file will be read"),
    ("import.remove", "Don't import {name}"),
    ("import.table", "This file holds"),
    ("import.header", "First row names the columns"),
    ("import.encoding", "Text encoding"),
    ("import.separator", "Separator"),
    ("import.numbers", "Numbers are written like"),
    ("import.dates", "Dates are written"),
    ("import.dates_choose", "Choose: the dates could be read either way"),
    ("import.numbers_ambiguous", "Some numbers could be read two ways (1.234 as one thousand or one point two): check the format."),
    ("import.not_recognised", "The columns were not recognised from their headers: the mapping below is a guess from the cells. Check it."),
    ("import.column_field", "Column {column} is"),
    ("import.preview_caption", "The first rows as they will be read: numbers and dates as understood, refusals in red."),
    ("import.row", "Row"),
    ("import.confirm", "Import"),
    ("import.cancel", "Cancel"),
    ("import.summary_title", "Import summary"),
    ("import.summary_file", "{name}: {read} rows read = {used} used + {rejected} rejected."),
    ("import.summary_blank", "{count} blank rows skipped."),
    ("import.summary_credit_notes", "{count} negative amounts read as credit notes."),
    ("import.summary_how", "Read as: {how}."),
    ("import.summary_made_up", "No customer list was imported: {count} customers were taken from the transactions, named by their ids or a name column."),
    ("import.summary_new_roles", "New roles priced at {rate} per hour until you set their rates: {roles}."),
    ("import.problems_title", "Rejected rows"),
    ("import.problems_more", "Showing the first {shown} of {total} rejected rows; the download has them all."),
    ("import.problems_download", "Download rejected rows (CSV)"),
    ("import.col_file", "File"),
    ("import.col_row", "Row"),
    ("import.col_column", "Column"),
    ("import.col_value", "Value"),
    ("import.col_reason", "Reason"),
    ("import.how_workbook", "Excel sheet {sheet}"),
    ("import.how_header", "first row is the header"),
    ("import.how_no_header", "no header row"),
    ("import.yes", "yes"),
    ("import.no", "no"),
    ("import.error.empty", "the file is empty"),
    ("import.error.unreadable", "the browser could not read it: was it moved, deleted or changed since it was chosen? Choose it again"),
    ("import.error.too_large", "its text is too large to open in a browser tab; split it into smaller files"),
    ("import.error.decode", "byte {offset} (0x{byte}) is not a character in {encoding}; choose another encoding or save the file as UTF-8"),
    ("import.error.odd_length", "it looks like UTF-16 text but has an odd number of bytes: the file is cut short"),
    ("import.error.unclosed_quote", "row {row} opens a quoted field that never closes (a missing \")"),
    ("import.error.not_an_archive", "it looks like an Excel workbook, but the archive is damaged"),
    ("import.error.not_a_workbook", "a ZIP archive, but not an Excel workbook (.xlsx)"),
    ("import.error.damaged_part", "the workbook's part {part} is damaged"),
    ("import.error.too_large_part", "the workbook's part {part} is too large to open"),
    ("import.error.no_such_sheet", "the workbook has no sheet {sheet}"),
    ("plan.missing", "Choose the column holding: {field}."),
    ("plan.twice", "Two columns are marked as {field}: keep one."),
    ("plan.no_kind", "Mark a column with the activity kind, or a column counting one kind."),
    ("plan.choose_date_order", "Choose how dates are written."),
    ("plan.no_rows", "There are no data rows under the header."),
    ("import.table.customers", "Customers (one row per customer)"),
    ("import.table.invoices", "Invoices and credit notes"),
    ("import.table.time_log", "Time log (hours per customer)"),
    ("import.table.activities", "Activity counts (visits, tickets, orders…)"),
    ("import.table.referrals", "Referrals (who brought whom)"),
    ("import.table.summary", "Per-customer totals (revenue, hours, counts)"),
    ("field.ignore", "(not imported)"),
    ("field.customer_id", "Customer ID"),
    ("field.name", "Customer name"),
    ("field.attribute", "Customer attribute (segment, region, rep…)"),
    ("field.acquired_on", "Customer since"),
    ("field.acquisition_cost", "Acquisition cost"),
    ("field.invoice_number", "Invoice number"),
    ("field.date", "Date"),
    ("field.amount", "Amount (net, before discount)"),
    ("field.discount", "Discount"),
    ("field.cost", "Cost of goods sold"),
    ("field.due", "Due date"),
    ("field.paid", "Paid on"),
    ("field.role", "Employee role"),
    ("field.activity", "Activity description"),
    ("field.hours", "Hours"),
    ("field.kind", "Activity kind"),
    ("field.count", "Count"),
    ("field.count_visit", "Number of sales visits"),
    ("field.count_ticket", "Number of support tickets"),
    ("field.count_order", "Number of orders"),
    ("field.count_delivery", "Number of deliveries"),
    ("field.count_return", "Number of returns"),
    ("field.count_case_study", "Number of case studies"),
    ("field.count_reference", "Number of references"),
    ("field.referrer_id", "Referring customer ID"),
    ("field.referred_id", "Referred customer ID"),
    ("field.came_anyway", "Would have come anyway (yes/no)"),
    ("activity.visit", "visit"),
    ("activity.ticket", "ticket"),
    ("activity.order", "order"),
    ("activity.delivery", "delivery"),
    ("activity.return", "return"),
    ("activity.case_study", "case study"),
    ("activity.reference", "reference"),
    ("encoding.utf-8", "UTF-8"),
    ("encoding.utf-16le", "UTF-16 (Excel Unicode text)"),
    ("encoding.utf-16be", "UTF-16 big-endian"),
    ("encoding.windows-1250", "Windows-1250 (Central European)"),
    ("encoding.windows-1252", "Windows-1252 (Western)"),
    ("separator.comma", "comma"),
    ("separator.semicolon", "semicolon"),
    ("separator.tab", "tab"),
    ("separator.pipe", "pipe (|)"),
    ("dateorder.iso", "year first (2025-03-07)"),
    ("dateorder.day_first", "day first (07/03/2025)"),
    ("dateorder.month_first", "month first (03/07/2025)"),
    ("cell.missing", "the cell is empty, but this row needs it"),
    ("cell.not_a_number", "not a number"),
    ("cell.bad_grouping", "thousands separators in the wrong places for this file's number format"),
    ("cell.too_large", "too large to keep exactly"),
    ("cell.too_precise", "more than {decimals} decimal places"),
    ("cell.percent", "a percentage where an amount was expected"),
    ("cell.other_currency", "in {found}, but the file's amounts are in {expected}"),
    ("cell.negative", "a count cannot be negative"),
    ("cell.not_whole", "a count must be a whole number"),
    ("cell.not_a_date", "not a date"),
    ("cell.impossible_date", "a date that does not exist"),
    ("cell.date_out_of_range", "outside the dates the workbook reads (years 1000 to 9999)"),
    ("cell.not_a_kind", "not an activity kind (visit, ticket, order, delivery, return, case study, reference)"),
    ("cell.not_a_flag", "not a yes or a no"),
    ("cell.extra_cells", "the row has more cells than the header has columns"),
    ("reject.empty_customer_id", "the customer id is empty"),
    ("reject.duplicate_customer", "this customer id appears twice; the first row is used"),
    ("reject.unknown_customer", "no customer with this id in the customer list"),
    ("reject.duplicate_invoice", "this invoice number was already used for this customer"),
    ("reject.negative_discount", "a discount cannot be negative"),
    ("reject.discount_on_credit_note", "a credit note (negative amount) cannot carry a discount"),
    ("reject.discount_exceeds_amount", "the discount is larger than the invoiced amount"),
    ("reject.negative_acquisition_cost", "an acquisition cost cannot be negative"),
    ("reject.negative_hours", "hours must be zero or more"),
    ("reject.too_many_roles", "more distinct roles than the workbook prices ({max})"),
    ("reject.self_referral", "a customer cannot refer itself"),
    ("reject.duplicate_referral", "the same referral appears twice"),
    ("reject.already_referred", "this customer was already referred by another customer"),
    ("reject.overflow", "the total is too large to add up exactly"),
    ("error.assumptions", "Some assumptions are invalid, so figures cannot be computed:"),
    ("footer.model", "Every figure follows the documented model: revenue less cost of goods is gross margin; less commission, sales, acquisition, service, equipment, handling, financing and bad debt is net profit."),
];

fn table(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => EN,
    }
}

/// The text of `key` in `lang`, falling back to English; empty when the key is missing
/// everywhere (the tests below walk every key the code builds, so none is).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    table(lang)
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| {
            table(Lang::En)
                .iter()
                .find(|(k, _)| *k == key)
                .map_or("", |(_, v)| *v)
        })
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
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_and_texts_non_empty() {
        let mut seen = HashSet::new();
        for (k, v) in EN {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!v.trim().is_empty(), "empty text for {k}");
        }
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
        for key in keys {
            assert!(
                EN.iter().any(|(k, _)| *k == key),
                "missing translation key {key}"
            );
        }
    }

    #[test]
    fn fill_replaces_placeholders() {
        let t = tr(Lang::En, "kpi.unprofitable_detail");
        assert_eq!(
            fill(t, &[("count", "3"), ("total", "10")]),
            "3 of 10 customers"
        );
    }
}
