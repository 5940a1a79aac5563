fn main() {
    profitbook::mount();
}
