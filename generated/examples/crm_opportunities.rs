//! Lists, creates, updates and deletes a CRM opportunity against a real Nexudus account.
//!
//! ```sh
//! NEXUDUS_EMAIL=admin@example.com NEXUDUS_PASSWORD=... \
//! NEXUDUS_BOARD_COLUMN_ID=1240011 NEXUDUS_COWORKER_ID=903114 \
//! cargo run -p nexudus --example crm_opportunities
//! ```
//!
//! `NEXUDUS_TOKEN` may stand in for the email and password; `NEXUDUS_BASE_URL` defaults to
//! `https://spaces.nexudus.com`.

use std::process::ExitCode;

use futures_util::TryStreamExt;
use nexudus::runtime::PasswordGrant;
use nexudus::{Client, CrmOpportunityCreate, CrmOpportunityListQuery, CrmOpportunityStatus};

/// What the program needs from the environment.
struct Settings {
    client: Client,
    board_column_id: i64,
    coworker_id: i64,
}

fn settings() -> Result<Settings, String> {
    let variable = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let mut builder = Client::builder();
    if let Some(base_url) = variable("NEXUDUS_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    builder = match (variable("NEXUDUS_TOKEN"), variable("NEXUDUS_EMAIL"), variable("NEXUDUS_PASSWORD")) {
        (Some(token), _, _) => builder.bearer_token(token),
        (None, Some(email), Some(password)) => builder.password_grant(PasswordGrant::new(email, password)),
        _ => return Err("set NEXUDUS_TOKEN, or NEXUDUS_EMAIL and NEXUDUS_PASSWORD".to_owned()),
    };
    let id = |name: &str| -> Result<i64, String> {
        let text = variable(name).ok_or_else(|| format!("set {name} (an existing id in your account)"))?;
        text.parse().map_err(|_| format!("{name} must be a whole number, not {text:?}"))
    };
    Ok(Settings {
        board_column_id: id("NEXUDUS_BOARD_COLUMN_ID")?,
        coworker_id: id("NEXUDUS_COWORKER_ID")?,
        client: builder.build().map_err(|error| error.to_string())?,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match settings() {
        Ok(settings) => settings,
        Err(missing) => {
            eprintln!("crm_opportunities: {missing}");
            return ExitCode::from(2);
        }
    };
    match run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("crm_opportunities: {error}");
            for field in error.validation_errors() {
                eprintln!("  {}: {}", field.property_name.as_deref().unwrap_or("(record)"), field.message);
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> nexudus::Result<()> {
    let opportunities = settings.client.crm_opportunities();

    let page = opportunities.list(&CrmOpportunityListQuery::new().size(5)).await?;
    println!("{} opportunities in all; the first {}:", page.total_items.unwrap_or_default(), page.records.len());
    for record in &page.records {
        println!("  #{} {}", record.id, record.name.as_deref().unwrap_or("(no name)"));
    }

    let won: Vec<_> =
        opportunities.list_all(&CrmOpportunityListQuery::new().status(CrmOpportunityStatus::Won)).try_collect().await?;
    println!("{} won opportunities", won.len());

    let request =
        CrmOpportunityCreate::new(settings.board_column_id, settings.coworker_id, 0, CrmOpportunityStatus::InProgress)
            .name("Created by the nexudus example");
    let id = opportunities.create(&request).await?;
    println!("created #{id}");

    let outcome =
        opportunities.update_with(id, |request| request.notes = Some("Updated by the example".to_owned())).await?;
    println!("updated #{id}: {}", outcome.message.unwrap_or_default());

    opportunities.delete(id).await?;
    println!("deleted #{id}");
    Ok(())
}
