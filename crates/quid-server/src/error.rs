//! The API's error: an HTTP status and a JSON body `{"error": {"code", "message", "field"}}`
//! with a stable snake_case code. Use-case errors are classified by their predicates, never by
//! their text; nothing internal (a backtrace, a panic message) reaches a response.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable code, snake_case: what a client matches on.
    pub code: &'static str,
    pub message: String,
    /// The request field or parameter at fault, when one is.
    pub field: Option<String>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
    field: Option<&'a str>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// A bad request: `field` names the parameter or body field at fault.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.into()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
        }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// The body alone, for streams that report an error after the status was sent.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({"error": {"code": self.code, "message": self.message, "field": self.field}})
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: Inner {
                code: self.code,
                message: &self.message,
                field: self.field.as_deref(),
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

impl From<quid_app::Error> for ApiError {
    fn from(e: quid_app::Error) -> ApiError {
        use quid_app::Error as E;
        let message = e.to_string();
        match &e {
            E::Invalid { what, .. } => ApiError {
                field: Some(what.trim_start_matches("--").replace('-', "_")),
                ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
            },
            E::Field(f) => ApiError {
                field: Some(f.field.to_string()),
                ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message)
            },
            E::NotFound(_) => ApiError::not_found(message),
            E::Assess(_) | E::BaseRate(_) | E::Reform(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "cannot_assess", message)
            }
            E::Store(s) if s.is_invalid_entry() => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_entry", message)
            }
            E::Check(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "check_failed", message),
            E::Workspace { .. } => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "workspace_untrusted",
                message,
            ),
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message),
        }
    }
}

impl From<crate::store::DbError> for ApiError {
    fn from(e: crate::store::DbError) -> ApiError {
        match &e {
            crate::store::DbError::Invalid(_) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_entry",
                e.to_string(),
            ),
            _ => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database", e.to_string()),
        }
    }
}

/// A result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
