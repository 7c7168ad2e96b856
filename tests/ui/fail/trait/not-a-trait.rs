#[portone::api]
pub struct Api;

fn main() {}
