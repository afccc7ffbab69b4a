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
//! At request time a claimed layer marks each response it decides with [`Decided`], in the
//! response head's extensions, and a layer with inner layers leaves a marked response alone.
//! Response heads are pooled and keep their extension table's capacity, so the mark costs no
//! allocation once the pool is warm; layers that do not nest never mark nor look.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

/// Marker in a response's extensions: an inner `Cors` layer decided this response.
pub(crate) struct Decided;

/// What one built `Cors` layer knows about its place among the others.
pub(crate) struct Layer {
    /// Some `Cors` layer was built inside this one.
    pub(crate) has_inner: bool,
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
        let layer = Rc::new(Layer {
            has_inner,
            saw_preflight: Cell::new(false),
            warned_unreachable: Cell::new(false),
            claimed: Cell::new(false),
        });
        BUILT.with(|b| b.borrow_mut().push(Rc::downgrade(&layer)));
        layer
    }
}
