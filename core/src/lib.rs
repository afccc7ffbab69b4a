//! The options and configuration rules of `actix-cross-origin`, shared by its runtime crate and
//! its `#[cross_origin]` route attribute, so that a rule is written once and applied the same
//! way at start-up and at compile time. Use it through `actix_cross_origin`, which re-exports
//! its public items.
//!
//! - [`for_each_option!`]: the one declaration of every option (its docs, name, kind and
//!   default), from which the options' structs, their environment keys, the runtime's builder
//!   check and change lines, and the names the attribute accepts are all generated.
//! - [`CorsOptions`], [`ResourceOptions`]: the options as data (serde behind the `serde`
//!   feature, the environment through [`CorsOptions::from_vars`]).
//! - `check`: every problem and warning of a `CorsOptions`, and the validated string-level
//!   policies it describes. The runtime only compiles those into header values and matchers.
//! - [`ConfigError`], [`ConfigProblem`], [`ProblemKind`]: what a refused configuration says,
//!   each text written once in `problems`.
//!
//! ```
//! use actix_cross_origin_core::{check, CorsOptions, ProblemKind};
//!
//! let options = CorsOptions {
//!     origins: Some(vec!["https://App.example.com:443/".into()]),
//!     ..CorsOptions::default()
//! };
//! let err = check(&options, false).unwrap_err();
//! let problem = &err.problems()[0];
//! assert_eq!(problem.kind(), ProblemKind::OriginWithPath);
//! assert_eq!(problem.suggestion(), Some("https://app.example.com"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![warn(rust_2018_idioms, missing_debug_implementations)]

mod check;
mod error;
mod options;
mod regex_lint;

#[doc(hidden)]
pub mod fetch;
#[doc(hidden)]
pub mod origin;
#[doc(hidden)]
pub mod problems;
#[doc(hidden)]
pub mod token;

#[doc(hidden)]
pub use crate::check::{check, route_methods, AllowedList, Checked, CheckedPolicy};
pub use crate::error::{ConfigError, ConfigProblem, ProblemKind};
#[doc(hidden)]
pub use crate::options::{split_list, FromOptionValue, OptionKind, OptionValue, DEFAULT_METHODS};
pub use crate::options::{CorsOptions, OriginAdded, ResourceOptions, OPTIONS};
