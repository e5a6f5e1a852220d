//! `validate()` on a valid value allocates nothing: paths live on the stack
//! and the report allocates only when it records an error.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use chrono::{DateTime, Utc};
use serde::Serialize;
use streamsea_derive::StreamSchema;
use streamsea_schema::{Date, StreamSchema};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is passed on to the system allocator unchanged; the
// counter is a const-initialised thread-local without a destructor.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[derive(Serialize, StreamSchema)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Idle,
}

#[derive(Serialize, StreamSchema)]
#[serde(rename_all = "camelCase")]
struct Reading {
    at: Date,
    taken_at: DateTime<Utc>,
    #[stream_schema(date)]
    logged_at: String,
    #[stream_schema(one_of = ["ok", "suspect"])]
    quality: Option<String>,
}

#[derive(Serialize, StreamSchema)]
#[stream_schema(name = "boiler_data", version = 2)]
struct BoilerData {
    temperature: f64,
    mode: Mode,
    tags: Vec<String>,
    readings: Vec<Reading>,
    #[stream_schema(date)]
    serviced: Vec<String>,
}

#[test]
fn validating_a_valid_value_allocates_nothing() {
    let reading = || Reading {
        at: Date::from_unix(1_700_000_000).unwrap(),
        taken_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        logged_at: "2024-05-01T12:00:00Z".into(),
        quality: Some("ok".into()),
    };
    let mut b = BoilerData {
        temperature: 1.0,
        mode: Mode::Idle,
        tags: vec!["a".into()],
        readings: (0..50).map(|_| reading()).collect(),
        serviced: vec!["2024-05-01T12:00:00Z".into(); 20],
    };
    let mut result = None;
    assert_eq!(allocations_in(|| result = Some(b.validate())), 0);
    assert_eq!(result, Some(Ok(())));

    // An error is recorded, and that allocates: the counter does count.
    b.readings[7].logged_at = "never".into();
    let mut result = None;
    assert!(allocations_in(|| result = Some(b.validate())) > 0);
    assert_eq!(
        result.unwrap().unwrap_err().paths(),
        ["readings[7].loggedAt"]
    );
}
