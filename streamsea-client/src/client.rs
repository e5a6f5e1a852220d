//! The [`Client`]: HTTP operations (PROTOCOL.md section 2) and subscriptions
//! (section 5).

use std::any::TypeId;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use streamsea_protocol::http::{
    CreateClientRequest, CreateClientResponse, CreateJailRequest, CreateJailResponse,
    JwtPublicKeyRequest, PublishRequest, RotateSecretResponse, VersionsVectorRequest,
    VersionsVectorResponse,
};
use streamsea_protocol::routes::{self, Operation};
use streamsea_schema::{
    check_stream_name, describe_value, Path, Report, SchemaDefinition, StreamSchema,
    ValidationError, ValidationErrors, Validator, Version,
};
use tokio::sync::{broadcast, oneshot, watch};

use crate::config::{ClientBuilder, Settings};
use crate::connection::{Handle, NewSub, Shared};
use crate::delivery::{self, Limits};
use crate::error::{BuildError, NotSent, RequestError, SubscribeError};
use crate::events::{ConnectionEvent, ConnectionState};
use crate::http::{Http, JsonBody};
use crate::schema_check::{DefineOutcome, SchemaCheck};
use crate::subscription::{
    random_group_id, DropSignal, Group, Parts, SubscribeOptions, Subscription,
};

/// A stream-sea client: cheap to clone (clones share one HTTP connection
/// pool and one WebSocket), `Send + Sync`.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use futures_util::StreamExt;
/// use streamsea_client::Client;
///
/// let client = Client::builder().host("localhost").port(3104).basic("app", "secret").build()?;
/// let mut sub = client.subscribe_json("boiler_data").await?;
/// client.publish_json("boiler_data", &serde_json::json!({"temperature": 70.5})).await?;
/// while let Some(msg) = sub.next().await {
///     println!("{}", msg?);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Arc<Settings>,
    http: Http,
    shared: Arc<Shared>,
    connection: Mutex<Option<Arc<Handle>>>,
    /// The compiled validator of each published type, keyed by the type:
    /// two types of one stream and version may have different fields.
    validators: Mutex<HashMap<TypeId, Arc<Validator>>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.inner.settings;
        f.debug_struct("Client")
            .field("api_url", &s.api_url())
            .field("credentials", &s.credentials)
            .field("state", &*self.inner.shared.state.borrow())
            .finish()
    }
}

fn argument(message: impl Into<String>) -> RequestError {
    RequestError::NotSent(NotSent::Argument(message.into()))
}

fn stream_argument(stream: &str) -> Result<(), RequestError> {
    check_stream_name(stream).map_err(|e| argument(e.to_string()))
}

fn id_argument(
    check: fn(&str) -> Result<(), streamsea_protocol::IdError>,
    id: &str,
) -> Result<(), RequestError> {
    check(id).map_err(|e| argument(e.to_string()))
}

/// Checks the shape PROTOCOL.md section 4 gives a publish payload: an object or a
/// non-empty array of objects.
fn check_payload_shape(stream: &str, payload: &Value) -> Result<(), RequestError> {
    let ok = match payload {
        Value::Object(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_object),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let found = match payload {
        Value::Array(items) if items.is_empty() => "an empty array".to_string(),
        Value::Array(_) => "an array holding something other than objects".to_string(),
        other => describe_value(other),
    };
    Err(NotSent::Invalid {
        stream: stream.to_string(),
        errors: ValidationErrors {
            errors: vec![ValidationError {
                path: String::new(),
                expected: "an object, or a non-empty array of objects".into(),
                found,
            }],
            truncated: false,
        },
    }
    .into())
}

fn invalid(stream: &str, errors: ValidationErrors) -> RequestError {
    RequestError::NotSent(NotSent::Invalid {
        stream: stream.to_string(),
        errors,
    })
}

/// The bytes of a publish request, serialized once, and where the payload
/// lies in them.
fn publish_body<P: Serialize + ?Sized>(
    payload: &P,
) -> Result<(JsonBody, std::ops::Range<usize>), RequestError> {
    PublishRequest { payload }
        .to_json_bytes()
        .map_err(|e| NotSent::Encode(e.to_string()).into())
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client from the `STREAMSEA_*` environment variables (see
    /// [`env`](crate::env)).
    pub fn from_env() -> Result<Client, BuildError> {
        ClientBuilder::from_env()?.build()
    }

    pub(crate) fn from_settings(settings: Settings) -> Result<Client, BuildError> {
        let http = Http::new(&settings)?;
        Ok(Client {
            inner: Arc::new(Inner {
                settings: Arc::new(settings),
                http,
                shared: Arc::new(Shared::new()),
                connection: Mutex::new(None),
                validators: Mutex::new(HashMap::new()),
            }),
        })
    }

    #[cfg(test)]
    pub(crate) fn inner_settings(&self) -> Arc<Settings> {
        self.inner.settings.clone()
    }

    /// The client id the credentials name.
    pub fn client_id(&self) -> &str {
        self.inner.settings.credentials.client_id()
    }

    /// The HTTP API base URL.
    pub fn api_url(&self) -> String {
        self.inner.settings.api_url()
    }

    /// The WebSocket URL.
    pub fn ws_url(&self) -> String {
        self.inner.settings.ws_url()
    }

    // ---- publish ----------------------------------------------------------

    /// Publishes one message to `T`'s stream.
    ///
    /// The value is checked first with `T::validate()` and, unless
    /// [`full_validation`](ClientBuilder::full_validation) is off, its JSON
    /// against the compiled validator of `T`'s own schema (one validator per
    /// type, even when two types share a stream and version); an invalid
    /// value is [`NotSent::Invalid`] and nothing leaves the process.
    ///
    /// The value is serialized once, into the bytes that are sent; the schema
    /// check reads those bytes and builds no JSON tree. Never retried: on
    /// [`RequestError::is_outcome_unknown`] the message may or may not have
    /// been published, and [`RequestError::is_retry_safe`] is false.
    ///
    /// `T: 'static`: the compiled validators are kept per type, keyed by
    /// its `TypeId`, which only types without borrowed fields have. A type
    /// that borrows (`struct Reading<'a> { id: &'a str }`) is checked with
    /// its own `validate()` and published as JSON with
    /// [`Client::publish_json`], where the server checks it against the
    /// stream's schema.
    pub async fn publish<T: StreamSchema + Serialize + 'static>(
        &self,
        value: &T,
    ) -> Result<(), RequestError> {
        let stream = T::STREAM_NAME;
        stream_argument(stream)?;
        value.validate().map_err(|e| invalid(stream, e))?;
        let (body, payload) = publish_body(value)?;
        if self.inner.settings.full_validation {
            self.validator::<T>()
                .validate_json(&body[payload])
                .map_err(|e| invalid(stream, e))?;
        }
        self.send_publish(stream, body).await
    }

    /// Publishes a batch of messages to `T`'s stream in one request; checked
    /// like [`publish`](Client::publish), with error paths starting with the
    /// element's index (`[2].at`), and serialized once like it. The server
    /// takes the batch whole or not at all.
    pub async fn publish_batch<T: StreamSchema + Serialize + 'static>(
        &self,
        values: &[T],
    ) -> Result<(), RequestError> {
        let stream = T::STREAM_NAME;
        stream_argument(stream)?;
        if values.is_empty() {
            return Err(argument("a batch needs at least one message"));
        }
        let mut report = Report::default();
        for (i, v) in values.iter().enumerate() {
            if report.is_full() {
                break;
            }
            v.check(&Path::ROOT.index(i), &mut report);
        }
        report.into_result().map_err(|e| invalid(stream, e))?;
        let (body, payload) = publish_body(values)?;
        if self.inner.settings.full_validation {
            self.validator::<T>()
                .validate_batch_json(&body[payload])
                .map_err(|e| invalid(stream, e))?;
        }
        self.send_publish(stream, body).await
    }

    /// Publishes dynamic JSON to `stream`: one message (an object) or a batch
    /// (a non-empty array of objects). Only the shape is checked locally; the
    /// server validates against the stream's schema.
    pub async fn publish_json(&self, stream: &str, payload: &Value) -> Result<(), RequestError> {
        stream_argument(stream)?;
        check_payload_shape(stream, payload)?;
        let body = Http::encode(&PublishRequest { payload })?;
        self.send_publish(stream, body).await
    }

    /// Publishes dynamic JSON to `stream` after checking it against
    /// `validator` (compiled once from a definition, for example the one
    /// [`describe_stream`](Client::describe_stream) returned).
    pub async fn publish_json_validated(
        &self,
        stream: &str,
        payload: &Value,
        validator: &Validator,
    ) -> Result<(), RequestError> {
        stream_argument(stream)?;
        check_payload_shape(stream, payload)?;
        validator
            .validate_payload(payload)
            .map_err(|e| invalid(stream, e))?;
        let body = Http::encode(&PublishRequest { payload })?;
        self.send_publish(stream, body).await
    }

    async fn send_publish(&self, stream: &str, body: JsonBody) -> Result<(), RequestError> {
        let path = routes::publish(stream);
        self.inner
            .http
            .call_raw(Operation::Publish, &path, Some(body))
            .await
            .map(|_| ())
    }

    /// The compiled validator of `T`'s schema, compiled once per type.
    fn validator<T: StreamSchema + 'static>(&self) -> Arc<Validator> {
        let mut cache = self
            .inner
            .validators
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        cache
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(Validator::new(&T::definition())))
            .clone()
    }

    // ---- schemas ----------------------------------------------------------

    /// Registers `T`'s schema (at startup): created, unchanged, or upgraded
    /// from a lower version, with the
    /// [`Compatibility`](streamsea_schema::Compatibility) class of the change
    /// from the stored definition. A conflicting definition of the same
    /// version (409) or a lower version than the stored one (400) is
    /// [`RequestError::Rejected`] with the server's message.
    pub async fn define_stream<T: StreamSchema>(&self) -> Result<DefineOutcome, RequestError> {
        self.define_schema(&T::definition()).await
    }

    /// Registers a definition; its `name` is the stream's name.
    pub async fn define_schema(
        &self,
        definition: &SchemaDefinition,
    ) -> Result<DefineOutcome, RequestError> {
        let Some(stream) = definition.name.as_deref() else {
            return Err(argument(
                "the definition has no name: the name is the stream's name",
            ));
        };
        stream_argument(stream)?;
        let before = self.describe_stream(stream).await?;
        let path = routes::define(stream);
        let op = Operation::DefineStream;
        self.inner
            .http
            .call_raw(op, &path, Some(Http::encode(definition)?))
            .await?;
        let version = definition.version;
        Ok(match before {
            None => DefineOutcome::Created { version },
            Some(old) if old.version == version => DefineOutcome::Unchanged { version },
            Some(old) => DefineOutcome::Upgraded {
                from: old.version,
                to: version,
                class: streamsea_schema::evolution(&old, definition).class,
            },
        })
    }

    /// The schema of `stream`, or `None` when it has none.
    ///
    /// Only stream-sea's own `404` (with its JSON error body) means "no
    /// schema". Any other answer, such as an HTML page or another service's
    /// JSON, is [`RequestError::NotStreamSea`]
    /// ([`is_not_stream_sea`](RequestError::is_not_stream_sea)): the server
    /// at that URL does not speak stream-sea.
    pub async fn describe_stream(
        &self,
        stream: &str,
    ) -> Result<Option<SchemaDefinition>, RequestError> {
        stream_argument(stream)?;
        let path = routes::describe(stream);
        let op = Operation::DescribeStream;
        match self
            .inner
            .http
            .call::<(), SchemaDefinition>(op, &path, None)
            .await
        {
            Ok(def) => Ok(Some(def)),
            Err(RequestError::Rejected { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The current schema version of each stream, `None` where it has none;
    /// same length and order as `streams`.
    pub async fn schema_versions_vector(
        &self,
        streams: &[&str],
    ) -> Result<Vec<Option<Version>>, RequestError> {
        for s in streams {
            stream_argument(s)?;
        }
        let op = Operation::SchemaVersionsVector;
        let path = routes::SCHEMA_VERSIONS_VECTOR;
        let body = VersionsVectorRequest {
            schema_names: streams.iter().map(|s| s.to_string()).collect(),
        };
        let resp: VersionsVectorResponse = self.inner.http.call(op, path, Some(&body)).await?;
        if resp.versions_vector.len() != streams.len() {
            return Err(RequestError::unknown(
                op,
                None,
                None,
                format!(
                    "the server answered {} versions for {} names",
                    resp.versions_vector.len(),
                    streams.len()
                ),
                None,
            ));
        }
        Ok(resp.versions_vector)
    }

    /// Compares `T`'s compiled schema with the server's (drift detection at
    /// startup).
    pub async fn check_schema<T: StreamSchema>(&self) -> Result<SchemaCheck, RequestError> {
        let local = T::definition();
        let remote = self.describe_stream(T::STREAM_NAME).await?;
        Ok(SchemaCheck::new(local, remote))
    }

    // ---- administration ---------------------------------------------------

    /// Creates a client in the caller's jail; the answer holds its generated
    /// secret.
    pub async fn create_client(
        &self,
        client_id: &str,
        description: &str,
    ) -> Result<CreateClientResponse, RequestError> {
        id_argument(streamsea_protocol::check_client_id, client_id)?;
        let op = Operation::CreateClient;
        let path = routes::CREATE_CLIENT;
        let body = CreateClientRequest {
            client_id: client_id.to_string(),
            description: description.to_string(),
        };
        self.inner.http.call(op, path, Some(&body)).await
    }

    /// Deletes another client of the caller's jail; its connections close.
    pub async fn delete_client(&self, client_id: &str) -> Result<(), RequestError> {
        id_argument(streamsea_protocol::check_client_id, client_id)?;
        let path = routes::delete_client(client_id);
        let op = Operation::DeleteClient;
        self.inner.http.call_raw(op, &path, None).await.map(|_| ())
    }

    /// Replaces the caller's own secret and returns the new one. This client
    /// keeps the secret it was built with, which no longer works: build a
    /// new client with the returned secret.
    pub async fn rotate_secret(&self) -> Result<RotateSecretResponse, RequestError> {
        let path = routes::rotate_secret(self.client_id());
        let op = Operation::RotateSecret;
        self.inner.http.call::<(), _>(op, &path, None).await
    }

    /// Sets (or, with `None`, removes) the RSA public key in PEM form that
    /// verifies the JWTs this client issues (see [`jwt`](crate::jwt)).
    pub async fn rotate_jwt_public_key(
        &self,
        public_pem: Option<&str>,
    ) -> Result<(), RequestError> {
        let path = routes::jwt_public_key(self.client_id());
        let op = Operation::RotateJwtPublicKey;
        let body = JwtPublicKeyRequest {
            jwt_public_key: public_pem.map(str::to_string),
        };
        self.inner
            .http
            .call_raw(op, &path, Some(Http::encode(&body)?))
            .await
            .map(|_| ())
    }

    /// Creates a jail with its first client (root jail clients only); the
    /// answer holds that client's secret.
    pub async fn create_jail(
        &self,
        jail_id: &str,
        jail_name: &str,
        client_id: &str,
    ) -> Result<CreateJailResponse, RequestError> {
        id_argument(streamsea_protocol::check_jail_id, jail_id)?;
        id_argument(streamsea_protocol::check_client_id, client_id)?;
        let op = Operation::CreateJail;
        let path = routes::CREATE_JAIL;
        let body = CreateJailRequest {
            new_jail_id: jail_id.to_string(),
            new_jail_name: jail_name.to_string(),
            new_client_id: client_id.to_string(),
        };
        self.inner.http.call(op, path, Some(&body)).await
    }

    /// Deletes a jail with its clients, schemas and connections (root jail
    /// clients only).
    pub async fn delete_jail(&self, jail_id: &str) -> Result<(), RequestError> {
        id_argument(streamsea_protocol::check_jail_id, jail_id)?;
        let path = routes::delete_jail(jail_id);
        let op = Operation::DeleteJail;
        self.inner.http.call_raw(op, &path, None).await.map(|_| ())
    }

    // ---- subscriptions ----------------------------------------------------

    /// Subscribes to `T`'s stream in the client's default group; items are
    /// decoded into `T` and checked with `T::validate()`.
    ///
    /// Opens the client's WebSocket if needed, and returns once the server
    /// confirmed the subscription (within the request timeout). While
    /// another subscription of this client with the
    /// [`Backpressure`](crate::Overflow::Backpressure) policy has a full
    /// buffer the confirmation cannot be read (see [`Subscription`]).
    pub async fn subscribe<T: StreamSchema + DeserializeOwned>(
        &self,
    ) -> Result<Subscription<T>, SubscribeError> {
        self.subscribe_with(SubscribeOptions::default()).await
    }

    /// Subscribes to `T`'s stream with options (group, buffer, overflow
    /// policy, interruption items).
    pub async fn subscribe_with<T: StreamSchema + DeserializeOwned>(
        &self,
        options: SubscribeOptions,
    ) -> Result<Subscription<T>, SubscribeError> {
        let parts = self.open(T::STREAM_NAME, options).await?;
        Ok(Subscription::new(parts, |v: &T| v.validate()))
    }

    /// Subscribes to `stream` in the client's default group, with messages as
    /// JSON.
    pub async fn subscribe_json(
        &self,
        stream: &str,
    ) -> Result<Subscription<Value>, SubscribeError> {
        self.subscribe_json_with(stream, SubscribeOptions::default())
            .await
    }

    /// Subscribes to `stream` with options, with messages as JSON.
    pub async fn subscribe_json_with(
        &self,
        stream: &str,
        options: SubscribeOptions,
    ) -> Result<Subscription<Value>, SubscribeError> {
        let parts = self.open(stream, options).await?;
        Ok(Subscription::new(parts, |_: &Value| Ok(())))
    }

    /// The connection task, started on first use.
    fn handle(&self) -> Arc<Handle> {
        let mut guard = self
            .inner
            .connection
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        guard
            .get_or_insert_with(|| {
                Handle::spawn(self.inner.settings.clone(), self.inner.shared.clone())
            })
            .clone()
    }

    async fn open(&self, stream: &str, options: SubscribeOptions) -> Result<Parts, SubscribeError> {
        check_stream_name(stream).map_err(|e| SubscribeError::Argument(e.to_string()))?;
        let group_id = match options.group {
            Group::Default => None,
            Group::Private => Some(random_group_id()),
            Group::Named(g) => {
                streamsea_protocol::check_group_id(&g)
                    .map_err(|e| SubscribeError::Argument(e.to_string()))?;
                Some(g)
            }
        };
        let capacity = options
            .buffer
            .unwrap_or(self.inner.settings.subscription_buffer);
        if capacity == 0 {
            return Err(SubscribeError::Argument(
                "the subscription buffer must hold at least 1 message".into(),
            ));
        }
        if options.buffer_bytes == 0 {
            return Err(SubscribeError::Argument(
                "the subscription buffer must hold at least 1 byte".into(),
            ));
        }
        let connection = self.handle();
        // Declared before the buffer's consumer end so that, on every early
        // return, the consumer is gone when the task is told to look.
        let drop = DropSignal(connection.dropped.clone());
        let (queue, consumer) = delivery::buffer(Limits {
            stream: stream.to_string(),
            messages: capacity,
            bytes: options.buffer_bytes,
            overflow: options.overflow,
            report_loss: options.report_interruptions,
        });
        let (confirm, confirmed) = oneshot::channel();
        connection
            .commands
            .send(NewSub {
                stream: stream.to_string(),
                group_id: group_id.clone(),
                queue,
                confirm,
            })
            .await
            .map_err(|_| SubscribeError::Closed)?;
        let timeout = self.inner.settings.request_timeout;
        match tokio::time::timeout(timeout, confirmed).await {
            Ok(Ok(Ok(()))) => Ok(Parts {
                stream: stream.to_string(),
                group_id,
                capacity,
                queue: consumer,
                state: self.inner.shared.state.subscribe(),
                drop,
                connection,
            }),
            Ok(Ok(Err(e))) => Err(e),
            Ok(Err(_)) => Err(SubscribeError::Closed),
            Err(_) => {
                let last = self.inner.shared.last_error();
                Err(SubscribeError::Timeout {
                    stream: stream.to_string(),
                    timeout,
                    cause: last.as_ref().and_then(|l| l.cause),
                    last_error: last.map(|l| l.reason),
                })
            }
        }
    }

    /// The connection's events (connected, disconnected, reconnecting,
    /// resubscribed, authentication failed, gave up, protocol errors,
    /// closed). A receiver that falls more than 256 events behind loses the
    /// oldest.
    pub fn events(&self) -> broadcast::Receiver<ConnectionEvent> {
        self.inner.shared.events.subscribe()
    }

    /// The connection's state, to read or watch.
    pub fn connection_state(&self) -> watch::Receiver<ConnectionState> {
        self.inner.shared.state.subscribe()
    }
}
