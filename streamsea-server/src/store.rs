//! The registry: jails, their clients (secret hashes, JWT keys) and their
//! schemas. Every rule of who may do what (PROTOCOL.md section 2) lives here.

use std::collections::HashMap;
use std::sync::Arc;

use jsonwebtoken::DecodingKey;
use streamsea_protocol::http::messages;
use streamsea_protocol::{check_client_id, check_jail_id};
use streamsea_schema::{SchemaDefinition, Validator, Version};

use crate::error::{echo, ApiError};
use crate::persist::{PersistedClient, PersistedJail, PersistedState};
use crate::secret;

/// Who made a call: an authenticated client and its jail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Caller {
    pub(crate) jail_id: String,
    pub(crate) client_id: String,
}

#[derive(Clone)]
struct Client {
    description: String,
    secret_hash: String,
    jwt_public_key: Option<String>,
    decoding_key: Option<Arc<DecodingKey>>,
}

/// A stream's schema, compiled once; shared, so cloning the registry is cheap.
#[derive(Clone)]
struct Schema {
    definition: Arc<SchemaDefinition>,
    validator: Arc<Validator>,
}

#[derive(Clone)]
struct Jail {
    name: String,
    clients: HashMap<String, Client>,
    schemas: HashMap<String, Schema>,
}

/// What a define did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DefineOutcome {
    /// The definition is the stream's new current schema.
    Stored,
    /// The same version with equal fields was already stored.
    Unchanged,
}

/// The registry of jails. Cloning it is cheap (schemas are shared): a change
/// is made on a clone, written to the state file, and only then swapped in.
#[derive(Clone)]
pub(crate) struct Store {
    root_jail: String,
    jails: HashMap<String, Jail>,
    /// Client id to jail id: client ids are unique across jails because a
    /// Basic credential names no jail.
    client_jail: HashMap<String, String>,
    /// Bumped by every change, so writers of the state file can skip stale snapshots.
    generation: u64,
}

/// The PEM labels of an RSA public key: SubjectPublicKeyInfo and PKCS#1.
const PUBLIC_KEY_LABELS: [&str; 2] = ["PUBLIC KEY", "RSA PUBLIC KEY"];

/// Reads a JWT public key: exactly one PEM block, labelled as a public key,
/// holding an RSA key. A private key (which a verifier would otherwise
/// accept and then never verify with) is refused.
fn parse_key(pem: &str) -> Result<DecodingKey, String> {
    let text = pem.trim();
    let label = text
        .strip_prefix("-----BEGIN ")
        .and_then(|rest| rest.split_once("-----"))
        .map(|(label, _)| label);
    let blocks = text.matches("-----BEGIN ").count();
    match label {
        Some(l) if blocks == 1 && PUBLIC_KEY_LABELS.contains(&l) => {}
        Some(l) if blocks == 1 && l.contains("PRIVATE") => {
            return Err(
                "the JWT public key is a private key: register the public key (PEM \"PUBLIC KEY\")"
                    .to_string(),
            )
        }
        _ => {
            return Err(
                "the JWT public key must be an RSA public key in PEM form: one block labelled \"PUBLIC KEY\" or \"RSA PUBLIC KEY\""
                    .to_string(),
            )
        }
    }
    DecodingKey::from_rsa_pem(text.as_bytes())
        .map_err(|e| format!("the JWT public key is not an RSA public key in PEM form: {e}"))
}

impl Store {
    /// An empty registry with its root jail.
    pub(crate) fn new(root_jail: &str, root_name: &str) -> Store {
        let mut jails = HashMap::new();
        jails.insert(
            root_jail.to_string(),
            Jail {
                name: root_name.to_string(),
                clients: HashMap::new(),
                schemas: HashMap::new(),
            },
        );
        Store {
            root_jail: root_jail.to_string(),
            jails,
            client_jail: HashMap::new(),
            generation: 0,
        }
    }

    /// The registry as read from a state file; the root jail is created if absent.
    pub(crate) fn from_persisted(
        state: PersistedState,
        root_jail: &str,
        root_name: &str,
    ) -> Result<Store, String> {
        let mut store = Store::new(root_jail, root_name);
        for pj in state.jails {
            check_jail_id(&pj.id).map_err(|e| e.to_string())?;
            let mut jail = Jail {
                name: pj.name,
                clients: HashMap::new(),
                schemas: HashMap::new(),
            };
            for pc in pj.clients {
                check_client_id(&pc.id).map_err(|e| e.to_string())?;
                if store.client_jail.contains_key(&pc.id) {
                    return Err(format!("client {:?} appears in two jails", pc.id));
                }
                // A key that is no longer accepted (a private key stored by an
                // older version) is dropped, not fatal: no token verified with it.
                let (jwt_public_key, decoding_key) = match pc.jwt_public_key {
                    Some(pem) => match parse_key(&pem) {
                        Ok(k) => (Some(pem), Some(Arc::new(k))),
                        Err(e) => {
                            tracing::warn!(client_id = %pc.id, error = %e, "dropping a stored JWT key");
                            (None, None)
                        }
                    },
                    None => (None, None),
                };
                store.client_jail.insert(pc.id.clone(), pj.id.clone());
                jail.clients.insert(
                    pc.id,
                    Client {
                        description: pc.description,
                        secret_hash: pc.secret_sha256,
                        jwt_public_key,
                        decoding_key,
                    },
                );
            }
            for def in pj.schemas {
                let Some(name) = def.name.clone() else {
                    return Err(format!("jail {:?}: a stored schema has no name", pj.id));
                };
                jail.schemas.insert(
                    name,
                    Schema {
                        validator: Arc::new(Validator::new(&def)),
                        definition: Arc::new(def),
                    },
                );
            }
            store.jails.insert(pj.id, jail);
        }
        Ok(store)
    }

    /// The registry as written to a state file, with the generation it reflects.
    pub(crate) fn snapshot(&self) -> (u64, PersistedState) {
        let mut jails: Vec<PersistedJail> = self
            .jails
            .iter()
            .map(|(id, j)| {
                let mut clients: Vec<PersistedClient> = j
                    .clients
                    .iter()
                    .map(|(cid, c)| PersistedClient {
                        id: cid.clone(),
                        description: c.description.clone(),
                        secret_sha256: c.secret_hash.clone(),
                        jwt_public_key: c.jwt_public_key.clone(),
                    })
                    .collect();
                clients.sort_by(|a, b| a.id.cmp(&b.id));
                let mut schemas: Vec<SchemaDefinition> =
                    j.schemas.values().map(|s| s.definition.sorted()).collect();
                schemas.sort_by(|a, b| a.name.cmp(&b.name));
                PersistedJail {
                    id: id.clone(),
                    name: j.name.clone(),
                    clients,
                    schemas,
                }
            })
            .collect();
        jails.sort_by(|a, b| a.id.cmp(&b.id));
        (
            self.generation,
            PersistedState {
                format: crate::persist::FORMAT,
                root_jail: self.root_jail.clone(),
                jails,
            },
        )
    }

    fn changed(&mut self) {
        self.generation += 1;
    }

    /// Bumped by every change.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// The root jail's id.
    pub(crate) fn root_jail(&self) -> &str {
        &self.root_jail
    }

    /// Sets a bootstrap client of the root jail (created, or its secret replaced).
    pub(crate) fn bootstrap_client(&mut self, client_id: &str, secret: &str) -> Result<(), String> {
        check_client_id(client_id).map_err(|e| e.to_string())?;
        if let Some(j) = self.client_jail.get(client_id) {
            if *j != self.root_jail {
                return Err(format!(
                    "client {client_id:?} already belongs to jail {j:?}, not the root jail"
                ));
            }
        }
        let root = self.root_jail.clone();
        let jail = self
            .jails
            .get_mut(&root)
            .ok_or_else(|| "the root jail is missing".to_string())?;
        let hash = secret::hash(secret);
        match jail.clients.get_mut(client_id) {
            Some(c) => c.secret_hash = hash,
            None => {
                jail.clients.insert(
                    client_id.to_string(),
                    Client {
                        description: "bootstrap client".to_string(),
                        secret_hash: hash,
                        jwt_public_key: None,
                        decoding_key: None,
                    },
                );
            }
        }
        self.client_jail.insert(client_id.to_string(), root);
        self.changed();
        Ok(())
    }

    /// Number of clients in the root jail.
    pub(crate) fn root_client_count(&self) -> usize {
        self.jails
            .get(&self.root_jail)
            .map_or(0, |j| j.clients.len())
    }

    /// The caller named by a Basic credential, if the secret is right.
    pub(crate) fn authenticate(&self, client_id: &str, secret: &str) -> Option<Caller> {
        let jail_id = self.client_jail.get(client_id)?;
        let client = self.jails.get(jail_id)?.clients.get(client_id)?;
        secret::matches(secret, &client.secret_hash).then(|| Caller {
            jail_id: jail_id.clone(),
            client_id: client_id.to_string(),
        })
    }

    /// The jail and current JWT public key of a client, if it has one.
    pub(crate) fn jwt_key(&self, client_id: &str) -> Option<(String, Arc<DecodingKey>)> {
        let jail_id = self.client_jail.get(client_id)?;
        let key = self
            .jails
            .get(jail_id)?
            .clients
            .get(client_id)?
            .decoding_key
            .clone()?;
        Some((jail_id.clone(), key))
    }

    /// True while the client exists.
    pub(crate) fn client_exists(&self, client_id: &str) -> bool {
        self.client_jail.contains_key(client_id)
    }

    fn jail_mut(&mut self, jail_id: &str) -> Result<&mut Jail, ApiError> {
        self.jails.get_mut(jail_id).ok_or_else(|| {
            ApiError::not_found(format!("The jail [{}] does not exist", echo(jail_id)))
        })
    }

    /// Defines a stream's schema (PROTOCOL.md section 3).
    pub(crate) fn define(
        &mut self,
        jail_id: &str,
        stream: &str,
        mut def: SchemaDefinition,
    ) -> Result<DefineOutcome, ApiError> {
        if let Some(name) = &def.name {
            if name != stream {
                return Err(ApiError::bad_request(format!(
                    "The schema name [{}] must equal the stream name [{stream}]",
                    echo(name)
                )));
            }
        }
        def.name = Some(stream.to_string());
        let jail = self.jail_mut(jail_id)?;
        if let Some(current) = jail.schemas.get(stream) {
            let stored = current.definition.version;
            if def.version < stored {
                return Err(ApiError::bad_request(messages::older_version(
                    stream,
                    &def.version.to_string(),
                    &stored.to_string(),
                )));
            }
            if def.version == stored {
                return if *current.definition == def {
                    Ok(DefineOutcome::Unchanged)
                } else {
                    Err(ApiError::conflict(messages::version_conflict(
                        stream,
                        &stored.to_string(),
                    )))
                };
            }
        }
        jail.schemas.insert(
            stream.to_string(),
            Schema {
                validator: Arc::new(Validator::new(&def)),
                definition: Arc::new(def),
            },
        );
        self.changed();
        Ok(DefineOutcome::Stored)
    }

    /// A stream's current schema.
    pub(crate) fn schema(&self, jail_id: &str, stream: &str) -> Option<Arc<SchemaDefinition>> {
        self.jails
            .get(jail_id)?
            .schemas
            .get(stream)
            .map(|s| s.definition.clone())
    }

    /// A stream's compiled validator.
    pub(crate) fn validator(&self, jail_id: &str, stream: &str) -> Option<Arc<Validator>> {
        self.jails
            .get(jail_id)?
            .schemas
            .get(stream)
            .map(|s| s.validator.clone())
    }

    /// The current version of each named schema.
    pub(crate) fn versions(&self, jail_id: &str, names: &[String]) -> Vec<Option<Version>> {
        let jail = self.jails.get(jail_id);
        names
            .iter()
            .map(|n| {
                jail.and_then(|j| j.schemas.get(n))
                    .map(|s| s.definition.version)
            })
            .collect()
    }

    fn check_new_client_id(&self, client_id: &str) -> Result<(), ApiError> {
        check_client_id(client_id).map_err(|e| ApiError::bad_request(e.to_string()))?;
        if self.client_jail.contains_key(client_id) {
            return Err(ApiError::conflict(format!(
                "The client id [{}] is already taken",
                echo(client_id)
            )));
        }
        Ok(())
    }

    /// Creates a client in the caller's jail; its generated secret.
    pub(crate) fn create_client(
        &mut self,
        caller: &Caller,
        client_id: &str,
        description: &str,
    ) -> Result<String, ApiError> {
        self.check_new_client_id(client_id)?;
        let secret = secret::generate().map_err(|_| ApiError::internal("no randomness"))?;
        let jail = self.jail_mut(&caller.jail_id)?;
        jail.clients.insert(
            client_id.to_string(),
            Client {
                description: description.to_string(),
                secret_hash: secret::hash(&secret),
                jwt_public_key: None,
                decoding_key: None,
            },
        );
        self.client_jail
            .insert(client_id.to_string(), caller.jail_id.clone());
        self.changed();
        Ok(secret)
    }

    /// Deletes another client of the caller's jail.
    pub(crate) fn delete_client(&mut self, caller: &Caller, target: &str) -> Result<(), ApiError> {
        if target == caller.client_id {
            return Err(ApiError::forbidden("A client cannot delete itself"));
        }
        match self.client_jail.get(target) {
            None => {
                return Err(ApiError::not_found(format!(
                    "The client [{}] does not exist",
                    echo(target)
                )))
            }
            Some(j) if *j != caller.jail_id => {
                return Err(ApiError::forbidden(format!(
                    "The client [{}] belongs to another jail",
                    echo(target)
                )))
            }
            Some(_) => {}
        }
        self.jail_mut(&caller.jail_id)?.clients.remove(target);
        self.client_jail.remove(target);
        self.changed();
        Ok(())
    }

    fn own(caller: &Caller, target: &str, what: &str) -> Result<(), ApiError> {
        if target == caller.client_id {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "A client can only {what} of its own (called for [{}] by [{}])",
                echo(target),
                caller.client_id
            )))
        }
    }

    /// Gives the caller a new secret.
    pub(crate) fn rotate_secret(
        &mut self,
        caller: &Caller,
        target: &str,
    ) -> Result<String, ApiError> {
        Store::own(caller, target, "rotate the secret")?;
        let secret = secret::generate().map_err(|_| ApiError::internal("no randomness"))?;
        let client = self
            .jail_mut(&caller.jail_id)?
            .clients
            .get_mut(target)
            .ok_or_else(|| {
                ApiError::not_found(format!("The client [{}] does not exist", echo(target)))
            })?;
        client.secret_hash = secret::hash(&secret);
        self.changed();
        Ok(secret)
    }

    /// Sets or clears the caller's JWT public key.
    pub(crate) fn set_jwt_key(
        &mut self,
        caller: &Caller,
        target: &str,
        pem: Option<String>,
    ) -> Result<(), ApiError> {
        Store::own(caller, target, "set the JWT public key")?;
        let key = match &pem {
            Some(p) => Some(Arc::new(parse_key(p).map_err(ApiError::bad_request)?)),
            None => None,
        };
        let client = self
            .jail_mut(&caller.jail_id)?
            .clients
            .get_mut(target)
            .ok_or_else(|| {
                ApiError::not_found(format!("The client [{}] does not exist", echo(target)))
            })?;
        client.jwt_public_key = pem;
        client.decoding_key = key;
        self.changed();
        Ok(())
    }

    fn require_root(&self, caller: &Caller, what: &str) -> Result<(), ApiError> {
        if caller.jail_id == self.root_jail {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "Only clients of the root jail may {what}"
            )))
        }
    }

    /// Creates a jail with its first client; that client's secret.
    pub(crate) fn create_jail(
        &mut self,
        caller: &Caller,
        jail_id: &str,
        jail_name: &str,
        client_id: &str,
    ) -> Result<String, ApiError> {
        self.require_root(caller, "create jails")?;
        check_jail_id(jail_id).map_err(|e| ApiError::bad_request(e.to_string()))?;
        if self.jails.contains_key(jail_id) {
            return Err(ApiError::conflict(format!(
                "The jail [{}] already exists",
                echo(jail_id)
            )));
        }
        self.check_new_client_id(client_id)?;
        let secret = secret::generate().map_err(|_| ApiError::internal("no randomness"))?;
        let mut clients = HashMap::new();
        clients.insert(
            client_id.to_string(),
            Client {
                description: format!("first client of jail {jail_id}"),
                secret_hash: secret::hash(&secret),
                jwt_public_key: None,
                decoding_key: None,
            },
        );
        self.jails.insert(
            jail_id.to_string(),
            Jail {
                name: jail_name.to_string(),
                clients,
                schemas: HashMap::new(),
            },
        );
        self.client_jail
            .insert(client_id.to_string(), jail_id.to_string());
        self.changed();
        Ok(secret)
    }

    /// Deletes a jail with its clients and schemas.
    pub(crate) fn delete_jail(&mut self, caller: &Caller, jail_id: &str) -> Result<(), ApiError> {
        self.require_root(caller, "delete jails")?;
        if jail_id == self.root_jail {
            return Err(ApiError::forbidden("The root jail cannot be deleted"));
        }
        let jail = self.jails.remove(jail_id).ok_or_else(|| {
            ApiError::not_found(format!("The jail [{}] does not exist", echo(jail_id)))
        })?;
        for id in jail.clients.keys() {
            self.client_jail.remove(id);
        }
        self.changed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use streamsea_schema::{Field, FieldType};

    fn caller(store: &Store, id: &str) -> Caller {
        Caller {
            jail_id: store.client_jail[id].clone(),
            client_id: id.to_string(),
        }
    }

    #[test]
    fn define_semantics() {
        let mut s = Store::new("root", "Root");
        let d = |v: u64, ty| SchemaDefinition::new("s", v, vec![Field::new("a", ty)]);
        assert_eq!(
            s.define("root", "s", d(2, FieldType::Float)),
            Ok(DefineOutcome::Stored)
        );
        assert_eq!(
            s.define("root", "s", d(2, FieldType::Float)),
            Ok(DefineOutcome::Unchanged)
        );
        assert_eq!(
            s.define("root", "s", d(2, FieldType::Integer))
                .unwrap_err()
                .status,
            409
        );
        assert_eq!(
            s.define("root", "s", d(1, FieldType::Float))
                .unwrap_err()
                .status,
            400
        );
        assert_eq!(
            s.define("root", "s", d(3, FieldType::Integer)),
            Ok(DefineOutcome::Stored)
        );
        assert_eq!(
            s.versions("root", &["s".into(), "t".into()]),
            [Some(Version(3)), None]
        );
        let wrong_name = SchemaDefinition::new("t", 1, vec![]);
        assert_eq!(s.define("root", "s", wrong_name).unwrap_err().status, 400);
    }

    #[test]
    fn only_public_keys_are_jwt_keys() {
        let public = include_str!("../tests/fixtures/jwt_public.pem");
        let private = include_str!("../tests/fixtures/jwt_private.pem");
        assert!(parse_key(public).is_ok());
        assert!(parse_key(private)
            .err()
            .unwrap_or_default()
            .contains("private key"));
        assert!(parse_key(&format!("{public}{public}")).is_err());
        assert!(parse_key("not a key").is_err());
    }

    #[test]
    fn snapshot_round_trips() {
        let mut s = Store::new("root", "Root");
        s.bootstrap_client("app", "secret").unwrap();
        let c = caller(&s, "app");
        s.create_jail(&c, "j", "J", "jc").unwrap();
        s.define("j", "x", SchemaDefinition::new("x", 1, vec![]))
            .unwrap();
        let (_, snap) = s.snapshot();
        let back = Store::from_persisted(snap.clone(), "root", "Root").unwrap();
        assert_eq!(back.snapshot().1, snap);
        assert!(back.authenticate("app", "secret").is_some());
        assert!(back.authenticate("app", "wrong").is_none());
    }
}
