//! The rule for nested `Cors` layers: the innermost policy on a request's way decides, for the
//! preflight and the actual request alike. Two facts make it work, each found where it is sure.
//!
//! - **Does a layer have others inside it?** Known when actix builds the application: it
//!   builds inner middleware first, on the worker thread that will run it, so the layers built
//!   earlier on this thread and still alive may be inside the one being built
//!   ([`Place::register`]). A layer with none answers preflights without routing them; a layer
//!   with some routes a preflight onward and answers it only if no inner layer did. A wrong
//!   "yes" (a sibling, or another app alive on the same thread) only costs a routed preflight.
//! - **Is a layer inside another, on this request?** Known on the request itself: a layer with
//!   inner layers puts [`OuterCors`] in the request's extensions ([`Place::on_request`]), and a
//!   layer that finds it there marks what it decides with [`Decided`], so that the outer layer
//!   leaves that answer alone.
//!
//! Request extensions are pooled with their capacity, so neither mark allocates once the pool
//! is warm; while no layer on the thread has inner layers, no layer looks at all.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use actix_web::dev::ServiceResponse;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

/// Request extension: a `Cors` layer with inner layers is on this request's way, and wants
/// to know what they decide.
struct OuterCors;

/// Request (or error response) extension: an inner `Cors` layer decided this answer.
struct Decided;

/// What a layer does about its neighbours on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Nesting {
    /// An outer layer asked: mark what this layer decides.
    pub(crate) mark: bool,
    /// Inner layers may decide: route preflights onward and leave their answers alone.
    pub(crate) yield_to_inner: bool,
}

impl Nesting {
    /// Marks `req` as decided, when an outer layer asked.
    #[inline]
    pub(crate) fn mark_decided(self, req: &HttpRequest) {
        if self.mark {
            req.extensions_mut().insert(Decided);
        }
    }

    /// The same for a response rendered from an error, which carries no request.
    pub(crate) fn mark_error_decided<B>(self, res: &mut HttpResponse<B>) {
        if self.mark {
            res.extensions_mut().insert(Decided);
        }
    }

    /// Whether an inner layer decided the answer to this request.
    #[inline]
    pub(crate) fn decided_inside<B>(self, res: &ServiceResponse<B>) -> bool {
        self.yield_to_inner && res.request().extensions().contains::<Decided>()
    }

    /// The same for a response rendered from an error.
    pub(crate) fn error_decided_inside<B>(self, res: &HttpResponse<B>) -> bool {
        self.yield_to_inner && res.extensions().contains::<Decided>()
    }
}

/// One built `Cors` layer's place among the others on its worker thread. (A place, not a
/// layer: in tower a layer is a factory.)
#[derive(Debug)]
pub(crate) struct Place {
    /// Some `Cors` layer was built inside this one.
    has_inner: bool,
    /// This layer has answered (or passed on) a preflight on this worker.
    saw_preflight: Cell<bool>,
    /// The warning about preflights answered elsewhere was logged.
    warned_unreachable: Cell<bool>,
}

thread_local! {
    /// Layers built on this thread that no later layer has taken in yet.
    static BUILT: RefCell<Vec<Weak<Place>>> = const { RefCell::new(Vec::new()) };
    /// How many live layers on this thread have inner layers, and so may ask. While there is
    /// none, no request can carry the question, and a layer need not look for it.
    static ASKING: Cell<usize> = const { Cell::new(0) };
}

impl Place {
    /// Registers a newly built layer: every live layer built before it on this thread, and
    /// not taken in by another yet, may be inside it.
    pub(crate) fn register() -> Rc<Place> {
        let earlier = BUILT.with(|b| std::mem::take(&mut *b.borrow_mut()));
        let place = Rc::new(Place {
            has_inner: earlier.iter().any(|l| l.strong_count() > 0),
            saw_preflight: Cell::new(false),
            warned_unreachable: Cell::new(false),
        });
        if place.has_inner {
            ASKING.with(|n| n.set(n.get() + 1));
        }
        BUILT.with(|b| b.borrow_mut().push(Rc::downgrade(&place)));
        place
    }

    /// Reads, and for inner layers leaves, the nesting marks on this request.
    #[inline]
    pub(crate) fn on_request(&self, req: &HttpRequest) -> Nesting {
        let mark = ASKING.with(Cell::get) > 0 && req.extensions().contains::<OuterCors>();
        if self.has_inner && !mark {
            req.extensions_mut().insert(OuterCors);
        }
        Nesting {
            mark,
            yield_to_inner: self.has_inner,
        }
    }

    /// Notes that a preflight reached this layer.
    #[inline]
    pub(crate) fn saw_preflight(&self) {
        self.saw_preflight.set(true);
    }

    /// True once, the first time it is asked while no preflight has reached this layer: the
    /// time to warn that preflights for its routes are answered elsewhere.
    pub(crate) fn first_sign_of_unreachable_preflights(&self) -> bool {
        !self.saw_preflight.get() && !self.warned_unreachable.replace(true)
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if self.has_inner {
            // Without `try_with` a place dropped while its thread ends would panic.
            let _ = ASKING.try_with(|n| n.set(n.get().saturating_sub(1)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    /// Runs `f` on a thread of its own, with a registry of its own.
    fn on_fresh_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::spawn(f).join().unwrap()
    }

    /// Three layers built as actix builds nested ones: innermost first.
    fn built_inside_out() -> (Rc<Place>, Rc<Place>, Rc<Place>) {
        let inner = Place::register();
        let middle = Place::register();
        (inner, middle, Place::register())
    }

    #[test]
    fn a_layer_built_after_live_ones_has_inner_layers() {
        on_fresh_thread(|| {
            let (inner, middle, outer) = built_inside_out();
            assert!(!inner.has_inner);
            assert!(middle.has_inner);
            assert!(outer.has_inner, "the middle layer is inside it");
        });
        on_fresh_thread(|| {
            drop(Place::register());
            let alone = Place::register();
            assert!(!alone.has_inner, "a dropped layer is inside nothing");
        });
    }

    #[test]
    fn the_outer_layer_asks_and_inner_layers_mark_on_the_same_request() {
        on_fresh_thread(|| {
            let (inner, middle, outer) = built_inside_out();
            let req = TestRequest::default().to_http_request();
            let seen = [
                outer.on_request(&req),
                middle.on_request(&req),
                inner.on_request(&req),
            ];
            let want = [(false, true), (true, true), (true, false)];
            for (got, (mark, yield_to_inner)) in seen.iter().zip(want) {
                assert_eq!((got.mark, got.yield_to_inner), (mark, yield_to_inner));
            }
            // The inner layer decides and marks; both outer layers see it.
            seen[2].mark_decided(&req);
            let res = ServiceResponse::new(req, HttpResponse::Ok().finish());
            assert!(seen[0].decided_inside(&res) && seen[1].decided_inside(&res));
            assert!(
                !seen[2].decided_inside(&res),
                "the innermost yields to no one"
            );
        });
    }

    #[test]
    fn a_lone_layer_neither_marks_nor_looks() {
        on_fresh_thread(|| {
            let alone = Place::register();
            let req = TestRequest::default().to_http_request();
            let nesting = alone.on_request(&req);
            assert_eq!(
                nesting,
                Nesting {
                    mark: false,
                    yield_to_inner: false
                }
            );
            nesting.mark_decided(&req);
            assert!(!req.extensions().contains::<Decided>());
            assert!(!req.extensions().contains::<OuterCors>());
        });
    }

    #[test]
    fn the_unreachable_preflight_warning_comes_once_and_never_after_a_preflight() {
        on_fresh_thread(|| {
            let place = Place::register();
            assert!(place.first_sign_of_unreachable_preflights());
            assert!(!place.first_sign_of_unreachable_preflights());
            let seen = Place::register();
            seen.saw_preflight();
            assert!(!seen.first_sign_of_unreachable_preflights());
        });
    }
}
