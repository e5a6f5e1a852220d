//! JWTs: `sign-jwt` and `generate-keypair`.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use serde_json::json;
use streamsea_client::jwt::{self, Claims};
use streamsea_client::Filter;

use crate::args::{GenerateKeypairArgs, SignJwtArgs};
use crate::exit::CliError;
use crate::input::{self, Source};
use crate::output::Out;

/// `sign-jwt`: prints the token (text), or `{"jwt", "claims"}` (JSON).
pub fn sign_jwt(args: SignJwtArgs, out: Out) -> Result<(), CliError> {
    let claims = claims(&args)?;
    let key = input::pem(
        "--private-key",
        &args.private_key,
        &["PRIVATE KEY", "RSA PRIVATE KEY"],
    )?;
    let token = jwt::sign(&claims, &key).map_err(|e| CliError::from(e).context("--private-key"))?;
    out.result(|| token.clone(), || json!({"jwt": token, "claims": claims}))
}

/// The claims the options describe; the official tool's defaults
/// (`{"exp": 1893456000, "mustFanout": true}`) where they say nothing.
fn claims(args: &SignJwtArgs) -> Result<Claims, CliError> {
    if let Some(value) = &args.claims {
        let source = Source::from_arg(value);
        let text = source.read_text().map_err(|e| e.context("--claims"))?;
        return input::parse_json(&text, &source).map_err(|e| e.context("--claims"));
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
    if args.private_key == args.public_key {
        return Err(CliError::usage(
            "--private-key and --public-key name the same file",
        ));
    }
    if !args.force {
        for (option, path) in [
            ("--private-key", &args.private_key),
            ("--public-key", &args.public_key),
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
    write_key("--private-key", &args.private_key, keys.private_pem(), true)?;
    write_key("--public-key", &args.public_key, keys.public_pem(), false)?;
    let (private, public) = (args.private_key.display(), args.public_key.display());
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
