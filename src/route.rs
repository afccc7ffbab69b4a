//! Route policies: a policy on one route answers that route's preflights, though actix's
//! method guards would hide them. The `#[cross_origin]` attribute builds on this; code
//! without macros uses [`MethodsOrPreflight`] directly.
//!
//! A preflight is an `OPTIONS` request that names, in `Access-Control-Request-Method`, the
//! method it asks for (Fetch §3.2.2). Like Spring and ASP.NET Core, a route takes the
//! preflights that ask for one of its own methods, so two routes on one path with different
//! methods each answer their own, with their own policy.

use actix_web::dev::RequestHead;
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::{header, Method};

/// A resource guard that lets through requests with one of the route's methods, the CORS
/// preflights that ask for one of them, and plain `OPTIONS` requests (which the route's policy
/// answers with `Allow`).
///
/// Put it on a `web::resource` whose routes carry the methods and whose policy is
/// [`cross_origin()`](crate::cross_origin()): the policy then sees, and answers, the route's
/// preflights. (`App::route` and the route macros put the method guard on the resource
/// itself, which hides `OPTIONS`; `#[cross_origin]` above a route macro does this for you.)
///
/// ```
/// use actix_cross_origin::{cross_origin, MethodsOrPreflight};
/// use actix_web::http::Method;
/// use actix_web::{test, web, App};
///
/// # actix_rt::System::new().block_on(async {
/// let app = test::init_service(
///     App::new().service(
///         web::resource("/feed")
///             .guard(MethodsOrPreflight::new([Method::GET]))
///             .wrap(cross_origin().origins(["https://partner.example"]).allow_headers(["x-token"]))
///             .route(web::get().to(|| async { "feed" })),
///     ),
/// )
/// .await;
/// let preflight = test::TestRequest::default()
///     .method(Method::OPTIONS)
///     .uri("/feed")
///     .insert_header(("Origin", "https://partner.example"))
///     .insert_header(("Access-Control-Request-Method", "GET"))
///     .insert_header(("Access-Control-Request-Headers", "x-token"))
///     .to_request();
/// let res = test::call_service(&app, preflight).await;
/// assert_eq!(res.status(), 204);
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://partner.example");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct MethodsOrPreflight {
    methods: Vec<Method>,
}

impl MethodsOrPreflight {
    /// The guard for a route with these methods.
    ///
    /// ```
    /// use actix_cross_origin::MethodsOrPreflight;
    /// use actix_web::http::Method;
    ///
    /// let guard = MethodsOrPreflight::new([Method::GET, Method::POST]);
    /// # drop(guard);
    /// ```
    pub fn new(methods: impl IntoIterator<Item = Method>) -> Self {
        MethodsOrPreflight {
            methods: methods.into_iter().collect(),
        }
    }

    fn admits(&self, head: &RequestHead) -> bool {
        if self.methods.contains(&head.method) {
            return true;
        }
        if head.method != Method::OPTIONS {
            return false;
        }
        match head.headers.get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            // A plain OPTIONS: the route's policy answers it with `Allow`.
            None => true,
            Some(asked) => self
                .methods
                .iter()
                .any(|m| m.as_str().as_bytes() == asked.as_bytes()),
        }
    }
}

impl Guard for MethodsOrPreflight {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        self.admits(ctx.head())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn a_route_takes_its_methods_and_its_own_preflights() {
        let guard = MethodsOrPreflight::new([Method::GET, Method::PUT]);
        let cases: [(Method, Option<&str>, bool); 7] = [
            (Method::GET, None, true),
            (Method::PUT, None, true),
            (Method::POST, None, false),
            (Method::OPTIONS, None, true),
            (Method::OPTIONS, Some("PUT"), true),
            (Method::OPTIONS, Some("POST"), false),
            (Method::OPTIONS, Some("put"), false),
        ];
        for (method, asked, want) in cases {
            let mut req = TestRequest::default().method(method.clone());
            if let Some(asked) = asked {
                req = req.insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, asked));
            }
            let req = req.to_srv_request();
            assert_eq!(guard.admits(req.head()), want, "{method} {asked:?}");
        }
    }
}
