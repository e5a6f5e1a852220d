//! JWTs: `sign-jwt` and `generate-keypair`.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};
use streamsea_client::jwt::{self, Claims};
use streamsea_client::Filter;
use streamsea_schema::describe_value;

use crate::args::{GenerateKeypairArgs, SignJwtArgs};
use crate::exit::CliError;
use crate::input::{self, Source};
use crate::output::Out;
use crate::token;

/// `sign-jwt`: prints the token (text), or `{"jwt", "claims"}` (JSON).
pub fn sign_jwt(args: SignJwtArgs, out: Out) -> Result<(), CliError> {
    let claims = claims(&args, out)?;
    if claims.exp <= token::now() {
        out.warning(&format!(
            "the token's exp {} is {} s in the past: the server refuses it",
            claims.exp,
            token::now() - claims.exp
        ));
    }
    let token = match (&args.private_key, &args.jwt_secret) {
        (Some(key), _) => {
            let key = input::pem_arg("--private-key", key, &["PRIVATE KEY", "RSA PRIVATE KEY"])?;
            jwt::sign(&claims, &key).map_err(|e| CliError::from(e).context("--private-key"))?
        }
        (None, Some(secret)) => sign_with_secret(&claims, secret, out)?,
        (None, None) => {
            return Err(CliError::usage(
                "pass --private-key FILE|PEM (or --jwt-secret SECRET)",
            ))
        }
    };
    out.result(|| token.clone(), || json!({"jwt": token, "claims": claims}))
}

/// Signs with a shared secret (HS256), as the official tool's `--jwtSecret`
/// did. stream-sea verifies tokens with the client's RSA public key, so the
/// user is told that such a token will be refused.
fn sign_with_secret(claims: &Claims, secret: &str, out: Out) -> Result<String, CliError> {
    if secret.is_empty() {
        return Err(CliError::usage("--jwt-secret: the secret is empty"));
    }
    if let Some(filter) = &claims.filter {
        filter
            .check()
            .map_err(|e| CliError::usage(format!("the filter: {e}")))?;
    }
    out.warning(
        "a token signed with a secret (HS256) is refused by stream-sea servers, which accept RS512 tokens verified with the client's public key: sign with --private-key for them",
    );
    let key = jsonwebtoken::EncodingKey::from_secret(secret.as_bytes());
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    jsonwebtoken::encode(&header, claims, &key)
        .map_err(|e| CliError::failure(format!("signing failed: {e}")))
}

/// The claims a JWT may carry, in the names the server reads.
const CLAIM_NAMES: [&str; 3] = ["exp", "mustFanout", "filter"];

/// The claims the options describe; the official tool's defaults
/// (`{"exp": 1893456000, "mustFanout": true}`) where they say nothing.
fn claims(args: &SignJwtArgs, out: Out) -> Result<Claims, CliError> {
    if let Some(value) = &args.claims {
        let source = Source::from_arg(value);
        let text = source.read_text().map_err(|e| e.context("--claims"))?;
        let value: Value = input::parse_json(&text, &source).map_err(|e| e.context("--claims"))?;
        return strict_claims(value, out).map_err(|e| e.context(format!("--claims: {source}")));
    }
    let defaults = Claims::default_for_tool();
    let exp = match (args.exp, args.expires_in) {
        (Some(exp), _) => exp,
        (None, Some(after)) => jwt::expires_in(after),
        (None, None) => defaults.exp,
    };
    let filter = match &args.filter {
        Some(value) => {
            let source = Source::from_arg(value);
            let text = source.read_text().map_err(|e| e.context("--filter"))?;
            let filter: Filter =
                input::parse_json(&text, &source).map_err(|e| e.context("--filter"))?;
            Some(filter)
        }
        None => None,
    };
    Ok(Claims {
        exp,
        must_fanout: args.must_fanout,
        filter,
    })
}

/// Reads a whole claims object strictly: only the claims stream-sea reads,
/// each of its type; `exp` required; `mustFanout` true when absent, as the
/// `--must-fanout` default (the server would read an absent one as false).
fn strict_claims(value: Value, out: Out) -> Result<Claims, CliError> {
    let Value::Object(mut map) = value else {
        return Err(CliError::usage(format!(
            "expected a JSON object of claims, found {}",
            describe_value(&value)
        )));
    };
    let unknown: Vec<String> = map
        .keys()
        .filter(|k| !CLAIM_NAMES.contains(&k.as_str()))
        .map(
            |k| match CLAIM_NAMES.iter().find(|n| n.eq_ignore_ascii_case(k)) {
                Some(n) => format!("`{k}` (did you mean `{n}`?)"),
                None => format!("`{k}`"),
            },
        )
        .collect();
    if !unknown.is_empty() {
        return Err(CliError::usage(format!(
            "{} {} not a claim stream-sea reads (the claims are exp, mustFanout and filter)",
            unknown.join(", "),
            if unknown.len() == 1 { "is" } else { "are" }
        )));
    }
    let exp = match map.get("exp") {
        Some(v) => v.as_u64().ok_or_else(|| {
            CliError::usage(format!(
                "`exp` must be UNIX seconds (a non-negative integer), found {}",
                describe_value(v)
            ))
        })?,
        None => {
            return Err(CliError::usage(
                "`exp` is missing: stream-sea refuses tokens without an expiry",
            ))
        }
    };
    let must_fanout = match map.get("mustFanout") {
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            return Err(CliError::usage(format!(
                "`mustFanout` must be true or false, found {}",
                describe_value(v)
            )))
        }
        None => {
            out.notice("`mustFanout` is not given: true, the --must-fanout default");
            true
        }
    };
    let filter = match map.remove("filter") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value::<Filter>(v)
                .map_err(|e| CliError::usage(format!("`filter`: {e}")))?,
        ),
    };
    Ok(Claims {
        exp,
        must_fanout,
        filter,
    })
}

/// `generate-keypair`: writes the private and public key as PEM files.
pub async fn generate_keypair(args: GenerateKeypairArgs, out: Out) -> Result<(), CliError> {
    if !(jwt::MIN_KEY_BITS..=jwt::MAX_KEY_BITS).contains(&args.bits) {
        return Err(CliError::usage(format!(
            "--bits {}: the key size must be within {}..={}",
            args.bits,
            jwt::MIN_KEY_BITS,
            jwt::MAX_KEY_BITS
        )));
    }
    let private_key = args
        .private_key
        .clone()
        .unwrap_or_else(|| format!("{}private.pem", args.prefix).into());
    let public_key = args
        .public_key
        .clone()
        .unwrap_or_else(|| format!("{}public.pem", args.prefix).into());
    if private_key == public_key {
        return Err(CliError::usage(
            "--private-key and --public-key name the same file",
        ));
    }
    if !args.force {
        for (option, path) in [
            ("--private-key", &private_key),
            ("--public-key", &public_key),
        ] {
            if path.exists() {
                return Err(CliError::usage(format!(
                    "{option}: file `{}` exists (pass --force to overwrite it)",
                    path.display()
                )));
            }
        }
    }
    let bits = args.bits;
    let keys = tokio::task::spawn_blocking(move || jwt::generate_key_pair(bits))
        .await
        .map_err(|e| CliError::failure(format!("key generation stopped: {e}")))??;
    write_key("--private-key", &private_key, keys.private_pem(), true)?;
    write_key("--public-key", &public_key, keys.public_pem(), false)?;
    let (private, public) = (private_key.display(), public_key.display());
    out.result(
        || format!("private key written to {private}\npublic key written to {public}"),
        || json!({"privateKey": private.to_string(), "publicKey": public.to_string(), "bits": bits}),
    )
}

/// Writes a key file; a private key is readable by its owner only.
fn write_key(option: &str, path: &Path, pem: &str, private: bool) -> Result<(), CliError> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let fail = |e: std::io::Error| {
        CliError::usage(format!(
            "{option}: cannot write file `{}`: {e}",
            path.display()
        ))
    };
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(pem.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)
}
