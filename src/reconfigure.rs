//! Policies that change without a restart ([`Cors::reconfigure`](crate::Cors::reconfigure)).
//!
//! All clones of a `Cors` share one [`Live`] cell: the options and policies in force, and a
//! generation counter. A change validates the new options fully, swaps the cell's snapshot
//! under a lock and then moves the generation on. Each worker keeps its own copy of the
//! policies ([`WorkerCopy`]) and, at the start of a request, compares the generation it copied
//! with the cell's: one atomic load. Only the first request after a change takes the lock and
//! copies the new policies; every other request takes no lock and allocates nothing. A
//! request (and its response future) holds the copy it started with, so it is decided wholly
//! by one policy, old or new.

use std::cell::{Cell, Ref, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use actix_cross_origin_core::CorsOptions;

use crate::policy::CompiledCors;

/// Options and the policies they compile to, in force together.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub(crate) options: CorsOptions,
    pub(crate) policies: CompiledCors,
}

/// The policies in force, shared by every clone of a `Cors` and every worker.
#[derive(Debug)]
pub(crate) struct Live {
    /// Moves on after each change; workers compare it with the one they copied.
    generation: AtomicU64,
    current: Mutex<Arc<Snapshot>>,
}

impl Live {
    pub(crate) fn new(snapshot: Snapshot) -> Self {
        Live {
            generation: AtomicU64::new(0),
            current: Mutex::new(Arc::new(snapshot)),
        }
    }

    /// The snapshot in force, with the generation it belongs to (or a later one).
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        // A panic cannot leave the cell half-written: it only ever holds a whole snapshot.
        let current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(&current)
    }

    /// Puts `snapshot` in force; returns the one it replaces and the new generation.
    pub(crate) fn replace(&self, snapshot: Arc<Snapshot>) -> (Arc<Snapshot>, u64) {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        let old = std::mem::replace(&mut *current, snapshot);
        // Released after the swap: a worker that sees the new generation finds the new
        // snapshot when it takes the lock.
        let generation = self.generation.fetch_add(1, Ordering::Release) + 1;
        (old, generation)
    }

    #[inline]
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

/// One worker's copy of the policies in force, kept without atomic reference counts (its
/// response futures share it through an `Rc`).
#[derive(Debug)]
pub(crate) struct WorkerCopy {
    live: Arc<Live>,
    copied: Cell<u64>,
    policies: RefCell<Rc<CompiledCors>>,
}

impl WorkerCopy {
    pub(crate) fn new(live: Arc<Live>) -> Self {
        let generation = live.generation();
        let policies = Rc::new(live.snapshot().policies.clone());
        WorkerCopy {
            live,
            copied: Cell::new(generation),
            policies: RefCell::new(policies),
        }
    }

    /// The policies for a request starting now: the copy, renewed first if a change came.
    #[inline]
    pub(crate) fn current(&self) -> Ref<'_, Rc<CompiledCors>> {
        let generation = self.live.generation();
        if generation != self.copied.get() {
            self.renew(generation);
        }
        self.policies.borrow()
    }

    #[cold]
    fn renew(&self, generation: u64) {
        let snapshot = self.live.snapshot();
        *self.policies.borrow_mut() = Rc::new(snapshot.policies.clone());
        self.copied.set(generation);
    }
}

/// How one option's change is told: its name, with counts for lists and never their values
/// (origins may be customers' names).
trait Change {
    fn change(name: &str, old: &Self, new: &Self, out: &mut Vec<String>);
}

impl Change for bool {
    fn change(name: &str, old: &Self, new: &Self, out: &mut Vec<String>) {
        if old != new {
            out.push(format!("{name} {old} -> {new}"));
        }
    }
}

impl Change for Option<u64> {
    fn change(name: &str, old: &Self, new: &Self, out: &mut Vec<String>) {
        if old != new {
            out.push(format!("{name} {old:?} -> {new:?}"));
        }
    }
}

impl Change for Vec<String> {
    fn change(name: &str, old: &Self, new: &Self, out: &mut Vec<String>) {
        match (old.len(), new.len()) {
            _ if old == new => {}
            (a, b) if a != b => out.push(format!("{name} {a} -> {b} entries")),
            _ => out.push(name.into()),
        }
    }
}

impl Change for Option<Vec<String>> {
    fn change(name: &str, old: &Self, new: &Self, out: &mut Vec<String>) {
        match (old, new) {
            (Some(a), Some(b)) => Change::change(name, a, b, out),
            // Left out means any origin (unless regexes are given): say so, since a change
            // from it to a list narrows the policy.
            (None, Some(b)) => out.push(format!("{name} left out -> {} entries", b.len())),
            (Some(a), None) => out.push(format!("{name} {} entries -> left out", a.len())),
            (None, None) => {}
        }
    }
}

/// `options_changed`, naming every option of the declaration.
macro_rules! options_changed {
    ($($(#[$doc:meta])* $name:ident: $kind:ident = $default:expr;)*) => {
        fn options_changed(old: &CorsOptions, new: &CorsOptions, out: &mut Vec<String>) {
            $(Change::change(stringify!($name), &old.$name, &new.$name, out);)*
        }
    };
}

actix_cross_origin_core::for_each_option!(options_changed);

/// What a change changed, for its log line: option names, with counts for lists and never
/// their values (origins may be customers' names).
pub(crate) fn changes(old: &CorsOptions, new: &CorsOptions) -> Vec<String> {
    let mut out = Vec::new();
    options_changed(old, new, &mut out);
    if old.resources != new.resources {
        let (a, b) = (old.resources.len(), new.resources.len());
        if a != b {
            out.push(format!("resources {a} -> {b} entries"));
        } else {
            out.push("resources".into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    fn snapshot(origins: &[&str]) -> Snapshot {
        let options = CorsOptions {
            origins: Some(origins.iter().map(|o| o.to_string()).collect()),
            ..CorsOptions::default()
        };
        let policies = validate::compile(&options, None).unwrap().cors;
        Snapshot { options, policies }
    }

    #[test]
    fn a_worker_renews_its_copy_once_per_change() {
        let live = Arc::new(Live::new(snapshot(&["https://a.com"])));
        let worker = WorkerCopy::new(Arc::clone(&live));
        let before = Rc::clone(&worker.current());
        assert!(
            Rc::ptr_eq(&before, &worker.current()),
            "no change, same copy"
        );
        let (old, generation) =
            live.replace(Arc::new(snapshot(&["https://a.com", "https://b.com"])));
        assert_eq!(old.options.origins.as_ref().map(Vec::len), Some(1));
        assert_eq!(generation, 1);
        let after = Rc::clone(&worker.current());
        assert!(
            !Rc::ptr_eq(&before, &after),
            "a change is seen at the next request"
        );
        assert!(Rc::ptr_eq(&after, &worker.current()), "and copied once");
        // The old copy lives on for requests that started with it.
        assert!(before.top.is_some());
    }

    #[test]
    fn a_change_of_any_declared_option_is_named() {
        use actix_cross_origin_core::{OptionKind, OptionValue, OPTIONS};
        let old = CorsOptions::default();
        for &(name, kind) in OPTIONS {
            let mut new = old.clone();
            let value = match kind {
                OptionKind::Flag => {
                    // Not the default.
                    let mut on = old.clone();
                    on.set(name, OptionValue::Flag(true)).unwrap();
                    OptionValue::Flag(on != old)
                }
                OptionKind::List | OptionKind::OptionalList => {
                    OptionValue::List(vec!["x-made-up".into()])
                }
                OptionKind::Seconds => OptionValue::Seconds(7),
            };
            new.set(name, value).unwrap();
            assert_ne!(new, old, "{name} changed");
            let changed = changes(&old, &new);
            assert!(
                changed.len() == 1 && changed[0].starts_with(name),
                "{name}: {changed:?}"
            );
        }
    }

    #[test]
    fn changes_name_options_and_count_lists_but_show_no_values() {
        let old = CorsOptions {
            origins: Some(vec!["https://secret-customer.example".into()]),
            ..CorsOptions::default()
        };
        let new = CorsOptions {
            origins: Some(vec![
                "https://secret-customer.example".into(),
                "https://other.example".into(),
            ]),
            max_age: Some(600),
            supports_credentials: true,
            ..CorsOptions::default()
        };
        let changed = changes(&old, &new);
        assert_eq!(
            changed,
            [
                "origins 1 -> 2 entries",
                "supports_credentials false -> true",
                "max_age None -> Some(600)"
            ]
        );
        assert!(changes(&new, &new).is_empty());
        assert!(!changed.concat().contains("secret"));
    }
}
