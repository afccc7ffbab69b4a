//! How nested `Cors` layers find each other, so that the innermost policy alone decides.
//!
//! actix builds an application depth-first on the worker thread that will serve it: every
//! middleware of a resource or scope is built before the layers around it. So when a `Cors`
//! layer is built, every `Cors` layer built before it on this thread that is still alive and
//! not yet claimed is (almost always) inside it. A layer that claims none has no inner policy
//! and answers preflights itself, without routing them; a layer that claims some routes
//! preflights onward and answers only when no inner policy did. A mistaken claim (two apps
//! alive on one thread) only makes a layer route a preflight it could have answered at once.
//!
//! At request time, a layer with inner layers pushes a data container holding [`OuterCors`];
//! an inner layer that finds it knows an outer layer will look at its answer, and marks the
//! response with [`Decided`] so that the outer layer leaves it alone. Neither step allocates
//! unless layers are nested.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use actix_web::dev::Extensions;

/// Marker in a request's data containers: an outer `Cors` layer is around this one.
pub(crate) struct OuterCors;

/// Marker in a response's extensions: an inner `Cors` layer decided this response.
pub(crate) struct Decided;

/// What one built `Cors` layer knows about its place among the others.
pub(crate) struct Layer {
    /// Some `Cors` layer was built inside this one.
    pub(crate) has_inner: bool,
    /// The data container announcing this layer to inner ones.
    pub(crate) link: Rc<Extensions>,
    /// This layer has answered (or passed on) a preflight on this worker.
    pub(crate) saw_preflight: Cell<bool>,
    /// The warning about preflights answered elsewhere was logged.
    pub(crate) warned_unreachable: Cell<bool>,
    /// A layer built later claimed this one: an outer layer may be around it. A layer never
    /// claimed need not look for one on each request.
    pub(crate) claimed: Cell<bool>,
}

thread_local! {
    static BUILT: RefCell<Vec<Weak<Layer>>> = const { RefCell::new(Vec::new()) };
}

impl Layer {
    /// Registers a newly built layer, claiming the unclaimed layers built before it.
    pub(crate) fn register() -> Rc<Layer> {
        // Every layer still in the list is unclaimed; taking the list claims them all.
        let earlier = BUILT.with(|b| std::mem::take(&mut *b.borrow_mut()));
        let mut has_inner = false;
        for layer in earlier.iter().filter_map(Weak::upgrade) {
            layer.claimed.set(true);
            has_inner = true;
        }
        let mut link = Extensions::new();
        link.insert(OuterCors);
        let layer = Rc::new(Layer {
            has_inner,
            link: Rc::new(link),
            saw_preflight: Cell::new(false),
            warned_unreachable: Cell::new(false),
            claimed: Cell::new(false),
        });
        BUILT.with(|b| b.borrow_mut().push(Rc::downgrade(&layer)));
        layer
    }
}
