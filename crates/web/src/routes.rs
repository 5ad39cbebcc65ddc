//! The pages' routes, recorded as they are declared: every module builds its router through
//! [`Routes`], which keeps the (method, path) of each route beside the router itself, so the
//! access matrix test reads the list from the same place the server does and a new route
//! cannot be left out of it.

use crate::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get, post};

/// One route: its method and its path pattern (`/members/{id}/edit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// GET or POST.
    pub method: &'static str,
    /// The path pattern.
    pub path: &'static str,
}

/// A router with the list of its routes.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    table: Vec<Route>,
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Self {
        Routes { router: Router::new(), table: Vec::new() }
    }

    fn add(mut self, path: &'static str, methods: &[&'static str], mr: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, mr);
        self.table.extend(methods.iter().map(|&method| Route { method, path }));
        self
    }

    /// A page read with GET.
    pub fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(path, &["GET"], get(h))
    }

    /// A change sent with POST.
    pub fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, h: H) -> Self {
        self.add(path, &["POST"], post(h))
    }

    /// A form: shown with GET, sent with POST.
    pub fn form<G: Handler<T, AppState>, T: 'static, P: Handler<U, AppState>, U: 'static>(self, path: &'static str, g: G, p: P) -> Self {
        self.add(path, &["GET", "POST"], get(g).post(p))
    }

    /// Both sets of routes.
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }

    /// The same routes with something around the router (a body limit).
    pub fn map_router(mut self, f: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Self {
        self.router = f(self.router);
        self
    }

    /// The router.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }

    /// The list of routes.
    pub fn table(&self) -> &[Route] {
        &self.table
    }
}
