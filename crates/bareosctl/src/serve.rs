//! `serve`: the REST / JSON-RPC / metrics server of `bareos-gateway`.

use crate::cli::ServeArgs;
use crate::exit::{CliError, CliResult, CONNECTION, OK, USAGE};
use std::path::Path;

/// Runs the server until interrupted.
pub fn run(config_file: Option<&Path>, args: &ServeArgs) -> CliResult<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::with_code(CONNECTION, format!("cannot start the runtime: {e}")))?;
    let (config, _director) = if args.demo {
        demo(args)?
    } else {
        let path = config_file.ok_or_else(|| {
            CliError::usage(
                "serve needs a configuration: bareosctl serve --config FILE (or --demo)",
            )
        })?;
        let mut config =
            bareos_gateway::GatewayConfig::load(path).map_err(|e| CliError::with_code(USAGE, e))?;
        if let Some(listen) = &args.listen {
            config.listen = listen.clone();
        }
        (config, None)
    };
    eprintln!(
        "bareosctl: serving on {}://{} (docs at /docs, OpenAPI at /openapi.json)",
        if config.tls.is_some() {
            "https"
        } else {
            "http"
        },
        config.listen
    );
    runtime
        .block_on(bareos_gateway::serve(config))
        .map_err(|e| CliError::with_code(CONNECTION, format!("serve: {e}")))?;
    Ok(OK)
}

#[cfg(feature = "demo")]
type DemoDirector = Option<bareos_testkit::TestDirector>;
#[cfg(not(feature = "demo"))]
type DemoDirector = Option<()>;

#[cfg(feature = "demo")]
fn demo(args: &ServeArgs) -> CliResult<(bareos_gateway::GatewayConfig, DemoDirector)> {
    use bareos_gateway::demo;
    let director = demo::start_director().map_err(|e| {
        CliError::with_code(CONNECTION, format!("cannot start the demo director: {e}"))
    })?;
    let mut secret = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut secret);
    let secret: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    let mut config = demo::config(director.port(), &secret);
    if let Some(listen) = &args.listen {
        config.listen = listen.clone();
    }
    eprintln!(
        "bareosctl: demo director on {}; log in with POST /token username={} password={}",
        director.addr(),
        demo::DEMO_CONSOLE.0,
        demo::DEMO_CONSOLE.1
    );
    Ok((config, Some(director)))
}

#[cfg(not(feature = "demo"))]
fn demo(_: &ServeArgs) -> CliResult<(bareos_gateway::GatewayConfig, DemoDirector)> {
    Err(CliError::usage(
        "this build has no demo director (feature \"demo\")",
    ))
}
