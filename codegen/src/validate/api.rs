//! The API section of `api.yaml`: base URL, authentication schemes, envelopes and paging parameters.

use super::operations::build_param;
use super::{keys, Context, Symbols};
use crate::ir::{
    ActionEnvelope, Api, Auth, AuthScheme, ListEnvelope, Model, ModelId, Paging, PasswordGrant, Type,
    ValidationErrorEnvelope,
};
use crate::positions::Step;

/// Builds the API section from the one file that has it.
pub(crate) fn build_api(cx: &mut Context<'_>, symbols: &Symbols, models: &[Option<Model>]) -> Option<Api> {
    let with_api: Vec<usize> = (0..cx.files.len()).filter(|&file| cx.files[file].content.api.is_some()).collect();
    let Some(&file) = with_api.first() else {
        let location = cx.key_at(0, &[]);
        cx.error_with_hint(location, "no spec file has an `api` section", "put it in spec/api.yaml");
        return None;
    };
    for &other in &with_api[1..] {
        let first = cx.key_at(file, &keys(&["api"]));
        cx.error(cx.key_at(other, &keys(&["api"])), format!("a second `api` section; the first is at {first}"));
    }
    let raw = cx.files[file].content.api.as_ref()?;
    let envelopes = &raw.envelopes;
    let mut lookup = EnvelopeLookup { cx, symbols, models, file };

    let action_model = lookup.model(&["action"], &envelopes.action.model);
    let action = action_model.and_then(|model| {
        let at = |role: &str| ["action", role].map(str::to_owned);
        Some(ActionEnvelope {
            model,
            success: lookup.field(model, &at("success"), &envelopes.action.success, &|ty| *ty == Type::Bool)?,
            message: lookup.field(model, &at("message"), &envelopes.action.message, &|ty| *ty == Type::String)?,
            value: lookup.field(model, &at("value"), &envelopes.action.value, &|ty| *ty == Type::Json)?,
            errors: lookup.field(model, &at("errors"), &envelopes.action.errors, &|ty| matches!(ty, Type::List(_)))?,
            updated_on: lookup
                .field(model, &at("updated_on"), &envelopes.action.updated_on, &|ty| *ty == Type::DateTime)?,
            updated_by: lookup
                .field(model, &at("updated_by"), &envelopes.action.updated_by, &|ty| *ty == Type::String)?,
        })
    });
    let raw_error = &envelopes.validation_error;
    let error_model = lookup.model(&["validation_error"], &raw_error.model);
    let validation_error = error_model.and_then(|model| {
        let at = |role: &str| ["validation_error", role].map(str::to_owned);
        Some(ValidationErrorEnvelope {
            model,
            property: lookup.field(model, &at("property"), &raw_error.property, &|ty| *ty == Type::String)?,
            message: lookup.field(model, &at("message"), &raw_error.message, &|ty| *ty == Type::String)?,
            attempted_value: lookup
                .field(model, &at("attempted_value"), &raw_error.attempted_value, &|ty| *ty == Type::Json)?,
        })
    });
    let raw_list = &envelopes.list;
    let list_model = lookup.model(&["list"], &raw_list.model);
    let list = list_model.and_then(|model| {
        let at = |role: &str| ["list", role].map(str::to_owned);
        if models[model.0].as_ref().map(|m| m.type_params.len()) != Some(1) {
            let location = lookup.cx.value_at(file, &keys(&["api", "envelopes", "list", "model"]));
            lookup.cx.error(location, format!("the list envelope '{}' must take one type parameter", raw_list.model));
            return None;
        }
        Some(ListEnvelope {
            model,
            records: lookup
                .field(model, &at("records"), &raw_list.records, &|ty| *ty == Type::List(Box::new(Type::Param(0))))?,
            current_page: lookup.field(model, &at("current_page"), &raw_list.current_page, &|ty| *ty == Type::Int32)?,
            total_pages: lookup.field(model, &at("total_pages"), &raw_list.total_pages, &|ty| *ty == Type::Int32)?,
            has_next_page: lookup
                .field(model, &at("has_next_page"), &raw_list.has_next_page, &|ty| *ty == Type::Bool)?,
        })
    });
    let paging = build_paging(cx, symbols, file);
    let auth = build_auth(cx, file);
    Some(Api {
        name: raw.name.clone(),
        description: raw.description.clone(),
        base_url: raw.base_url.clone(),
        auth: auth?,
        action: action?,
        validation_error: validation_error?,
        list: list?,
        paging: paging?,
    })
}

struct EnvelopeLookup<'c, 'a, 's> {
    cx: &'c mut Context<'a>,
    symbols: &'s Symbols,
    models: &'s [Option<Model>],
    file: usize,
}

impl EnvelopeLookup<'_, '_, '_> {
    fn model(&mut self, envelope: &[&str], name: &str) -> Option<ModelId> {
        let path = [keys(&["api", "envelopes"]), keys(envelope), keys(&["model"])].concat();
        match self.symbols.models.get(name) {
            Some((id, _)) => self.models[id.0].as_ref().map(|_| *id),
            None => {
                let at = self.cx.value_at(self.file, &path);
                self.cx.unknown(at, "model", name, self.symbols.models.keys().map(String::as_str));
                None
            }
        }
    }

    /// The index of field `wire` in `model`, checked to have a type the runtime can read.
    fn field(
        &mut self,
        model: ModelId,
        role: &[String; 2],
        wire: &str,
        type_ok: &dyn Fn(&Type) -> bool,
    ) -> Option<usize> {
        let path: Vec<Step> =
            [keys(&["api", "envelopes"]), role.iter().map(|r| Step::Key(r.clone())).collect()].concat();
        let at = self.cx.value_at(self.file, &path);
        let model = self.models[model.0].as_ref()?;
        let Some(index) = model.fields.iter().position(|field| field.wire == wire) else {
            self.cx.unknown_field(at, &model.name, wire, model.fields.iter().map(|f| f.wire.as_str()));
            return None;
        };
        if !type_ok(&model.fields[index].ty) {
            self.cx.error(
                at,
                format!("field '{wire}' of '{}' has the wrong type for the envelope's `{}`", model.name, role[1]),
            );
            return None;
        }
        Some(index)
    }
}

fn build_auth(cx: &mut Context<'_>, file: usize) -> Option<Auth> {
    let raw = &cx.files[file].content.api.as_ref()?.auth;
    let scheme = |raw: &Option<crate::parse::RawAuthScheme>| {
        raw.as_ref().map(|raw| AuthScheme { description: raw.description.clone() })
    };
    let (bearer, basic) = (scheme(&raw.bearer), scheme(&raw.basic));
    let password_grant = match &raw.password_grant {
        None => None,
        // The token URL is the base URL followed by this path, as every operation's is.
        Some(grant) if !grant.token_path.starts_with('/') => {
            let at = cx.value_at(file, &keys(&["api", "auth", "password_grant", "token_path"]));
            cx.error(at, format!("token path '{}' must start with '/'", grant.token_path));
            return None;
        }
        Some(grant) => match super::path_problem(&grant.token_path) {
            Some((message, hint)) => {
                let at = cx.value_at(file, &keys(&["api", "auth", "password_grant", "token_path"]));
                cx.error_with_hint(at, message, hint);
                return None;
            }
            None => {
                Some(PasswordGrant { token_path: grant.token_path.clone(), description: grant.description.clone() })
            }
        },
    };
    Some(Auth { bearer, basic, password_grant })
}

fn build_paging(cx: &mut Context<'_>, symbols: &Symbols, file: usize) -> Option<Paging> {
    let raw = &cx.files[file].content.api.as_ref()?.paging;
    let mut params = Vec::new();
    for (wire, param) in &raw.params {
        let path = keys(&["api", "paging", "params", wire]);
        params.push(build_param(cx, symbols, file, &path, wire, param, None)?);
    }
    let find = |cx: &mut Context<'_>, role: &str, wire: &str| {
        let at = cx.value_at(file, &keys(&["api", "paging", role]));
        match params.iter().position(|param| param.wire == wire) {
            Some(index) if params[index].ty == Type::Int32 => Some(index),
            Some(_) => {
                cx.error(at, format!("paging parameter '{wire}' must be int32"));
                None
            }
            None => {
                cx.unknown(at, "paging parameter", wire, params.iter().map(|p| p.wire.as_str()));
                None
            }
        }
    };
    let page = find(cx, "page_param", &raw.page_param);
    let size = find(cx, "size_param", &raw.size_param);
    Some(Paging { page: page?, size: size?, max_size: raw.max_size, params })
}
