//! Who is calling the HTTP API: the bearer token of any audience it takes, verified and parsed once into
//! a [`Principal`] with its standing, so that every handler asks the policy the same way.

use std::sync::Arc;

use shared::policy::{self, Action, Permit};
use shared::{ErrorCode, Principal, Standing};
use warp::filters::BoxedFilter;
use warp::{Filter, Rejection as WarpRejection};

use warp::filters::path::FullPath;
use warp::http::Method;

use super::{reject, ApiError, TooMany};
use crate::auth::{AuthError, API_AUDIENCES};
use crate::limits::Route;
use crate::{clock, App};

/// The caller of one request: a principal and its standing, or nobody.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Option<Principal>,
    pub standing: Standing,
}

impl Caller {
    /// What the policy says to `action` by this caller; a refusal is the API's error.
    pub fn may(&self, action: Action<'_>) -> Result<Permit, WarpRejection> {
        let asker = self.principal.as_ref().map(|p| (p, self.standing));
        policy::decide(asker, action).map_err(|r| reject(ApiError::from_rejection(r)))
    }

    /// Whether the policy lets this caller do `action`: for leaving out of a list what the caller
    /// may not read.
    pub fn permits(&self, action: Action<'_>) -> bool {
        let asker = self.principal.as_ref().map(|p| (p, self.standing));
        policy::decide(asker, action).is_ok()
    }

    /// The principal, for handlers the policy has already let through with a token.
    pub fn principal(&self) -> Result<&Principal, WarpRejection> {
        self.principal.as_ref().ok_or_else(|| {
            reject(ApiError::new(ErrorCode::Unauthorized, "Send your access token as `Authorization: Bearer <token>`."))
        })
    }
}

/// Verifies a token of any audience the API takes: a person's, an organisation's own, a device's.
fn verify(app: &App, token: &str) -> Result<crate::auth::Claims, AuthError> {
    let now = clock::now();
    let mut said = AuthError::Invalid;
    for audience in API_AUDIENCES {
        match app.keys.verify_for(token, now, audience) {
            Ok(claims) => return Ok(claims),
            // The first error that says more than "invalid" (expired, retired) is the one to
            // give: the others only saw another audience.
            Err(error) if said == AuthError::Invalid => said = error,
            Err(_) => {}
        }
    }
    Err(said)
}

/// The caller of a request. No `Authorization` header is an anonymous caller; a token that does
/// not verify is refused (401), never taken as none.
pub fn caller(app: Arc<App>) -> BoxedFilter<((Arc<App>, Caller),)> {
    warp::any()
        .map(move || app.clone())
        .and(warp::header::optional::<String>("authorization"))
        .and(warp::method())
        .and(warp::path::full())
        .and_then(|app: Arc<App>, authorization: Option<String>, method: Method, path: FullPath| async move {
            let Some(value) = authorization else {
                return Ok::<_, WarpRejection>((app, Caller { principal: None, standing: Standing::Good }));
            };
            let token = value.strip_prefix("Bearer ").ok_or_else(|| {
                reject(ApiError::new(
                    ErrorCode::Unauthorized,
                    "Send your access token as `Authorization: Bearer <token>`.",
                ))
            })?;
            let bad = |e: AuthError| reject(ApiError::new(ErrorCode::BadToken, e.to_string()));
            let claims = verify(&app, token.trim()).map_err(bad)?;
            let principal = app.principal(&claims).map_err(bad)?;
            // The address's budget was counted before routing; the person's is counted here,
            // once the token is known to be theirs.
            let route = Route::of(method.as_str(), path.as_str());
            app.gate
                .rates
                .check_person(route, &principal.person.id)
                .map_err(|slow| warp::reject::custom(TooMany(slow)))?;
            let standing = app.standing(&principal).await.map_err(|r| reject(ApiError::from_rejection(r)))?;
            Ok((app, Caller { principal: Some(principal), standing }))
        })
        .boxed()
}

/// A refusal for an unknown resource, worded for the caller.
pub fn unknown(code: ErrorCode, message: impl Into<String>) -> WarpRejection {
    reject(ApiError::new(code, message))
}
