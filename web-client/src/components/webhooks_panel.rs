//! A meeting's call-platform webhooks on the secretariat's console: the endpoints the meeting's
//! floor events are posted to, a form to add one (its signing secret shown once, to hand to the
//! receiver), pause, resume and delete, and each endpoint's delivery log. The same API a script
//! calls (`docs/api.md`, "Webhooks"), decided by the same policy.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::webhooks::{Delivery, NewWebhook, Webhook};

use crate::components::field::{Checkbox, Field};
use crate::components::load_more::LoadMore;
use crate::components::secretariat_console::Outcome;
use crate::http;
use crate::paged::Paged;

#[component]
pub fn WebhooksPanel(meeting: String, token: String) -> impl IntoView {
    let hooks =
        Paged::<Webhook>::new(format!("/api/meetings/{}/webhooks", http::encode(&meeting)), Some(token.clone()));
    let create_path = StoredValue::new(format!("/api/meetings/{}/webhooks", http::encode(&meeting)));
    let token = StoredValue::new(token);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    // The secret of the endpoint just added, with its address: shown once, never listed.
    let secret = RwSignal::new(None::<(String, String)>);
    let (url, description, list) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(false));
    let shown_log = RwSignal::new(None::<String>);

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewWebhook {
            url: url.get_untracked().trim().to_string(),
            list: list.get_untracked(),
            description: Some(description.get_untracked()).filter(|d| !d.trim().is_empty()),
        };
        spawn_local(async move {
            let added: Result<Webhook, String> =
                http::post(&create_path.get_value(), Some(&token.get_value()), Some(&body)).await;
            match added {
                Ok(hook) => {
                    secret.set(hook.secret.clone().map(|s| (hook.url.clone(), s)));
                    outcome.set(Some(Ok(crate::tr!(desk.webhook_added, url = hook.url.clone()))));
                    url.set(String::new());
                    description.set(String::new());
                    list.set(false);
                }
                Err(problem) => outcome.set(Some(Err(problem))),
            }
            hooks.reload();
        });
    };

    let act = move |what: &'static str, hook: Webhook| {
        if what == "delete"
            && !crate::browser::confirm(&crate::tr!(desk.confirm_delete_webhook, url = hook.url.clone()))
        {
            return;
        }
        spawn_local(async move {
            let token = token.get_value();
            let done = match what {
                "delete" => http::delete(&format!("/api/webhooks/{}", http::encode(&hook.id)), Some(&token)).await,
                _ => {
                    let path = format!("/api/webhooks/{}/{what}", http::encode(&hook.id));
                    http::post::<Webhook, ()>(&path, Some(&token), None).await.map(|_| ())
                }
            };
            let url = hook.url.clone();
            outcome.set(Some(done.map(|()| match what {
                "pause" => crate::tr!(desk.webhook_paused, url = url),
                "resume" => crate::tr!(desk.webhook_resumed, url = url),
                _ => crate::tr!(desk.webhook_deleted, url = url),
            })));
            if what == "delete" && shown_log.get_untracked().as_deref() == Some(hook.id.as_str()) {
                shown_log.set(None);
            }
            hooks.reload();
        });
    };

    let rows = move || match hooks.list.get() {
        None => view! { <p class="empty">{crate::tr!(desk.loading)}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(all)) if all.is_empty() => view! { <p class="empty">{crate::tr!(desk.no_webhook_yet)}</p> }.into_any(),
        Some(Ok(all)) => view! {
            <table class="webhooks">
                <caption class="sr-only">{crate::tr!(desk.webhooks_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(desk.col_address)}</th>
                        <th scope="col">{crate::tr!(desk.col_events)}</th>
                        <th scope="col">{crate::tr!(desk.col_state)}</th>
                        <th scope="col">{crate::tr!(desk.col_last_attempt)}</th>
                        <th scope="col">{crate::tr!(desk.col_actions)}</th>
                    </tr>
                </thead>
                <tbody>{all.into_iter().map(|hook| hook_row(hook, act, shown_log)).collect_view()}</tbody>
            </table>
        }
        .into_any(),
    };

    view! {
        <section class="card webhooks-panel" aria-labelledby="webhooks-heading">
            <h2 id="webhooks-heading">{crate::tr!(desk.webhooks_heading)}</h2>
            <p class="small">
                {crate::tr!(desk.webhooks_intro)}
            </p>
            <form class="stack new-webhook" on:submit=add>
                <Field label=crate::tr!(desk.webhook_url_label) value=url name="webhook_url" kind="url" required=true maxlength=2000 placeholder="https://bridge.example.org/rostrum" />
                <Field label=crate::tr!(desk.webhook_description_label) value=description name="webhook_description" maxlength=200 placeholder=crate::tr!(desk.webhook_description_placeholder) />
                <Checkbox label=crate::tr!(desk.webhook_list_label) name="webhook_list" checked=list />
                <button type="submit" disabled=move || url.get().trim().is_empty()>{crate::tr!(desk.add_webhook_button)}</button>
            </form>
            <Outcome outcome=outcome />
            {move || {
                secret.get().map(|(address, key)| view! {
                    <div class="secret-once" role="group" aria-labelledby="secret-heading">
                        <h3 id="secret-heading">{crate::tr!(desk.secret_heading)}</h3>
                        <p class="small">{crate::tr!(desk.secret_note, address = address)}</p>
                        <input class="webhook-secret" readonly aria-label=crate::tr!(desk.secret_label) prop:value=key />
                        <button type="button" on:click=move |_| secret.set(None)>{crate::tr!(desk.secret_kept_button)}</button>
                    </div>
                })
            }}
            {rows}
            <LoadMore list=hooks />
            {move || shown_log.get().map(|id| view! { <DeliveryLog id=id token=token.get_value() close=Callback::new(move |()| shown_log.set(None)) /> })}
        </section>
    }
}

/// What an attempt got, in words: "200", "503", "refused: connection refused".
fn result_of(delivery: &Delivery) -> String {
    match (delivery.status, &delivery.error) {
        (Some(status), _) => format!("{} {status}", if delivery.ok { "✓" } else { "✗" }),
        (None, Some(error)) => format!("✗ {error}"),
        (None, None) => "✗".to_string(),
    }
}

fn hook_row(
    hook: Webhook,
    act: impl Fn(&'static str, Webhook) + Copy + 'static,
    shown_log: RwSignal<Option<String>>,
) -> impl IntoView {
    let events = if hook.list { crate::tr!(desk.events_floor_and_list) } else { crate::tr!(desk.events_floor) };
    let state = match &hook.paused {
        Some(paused) => {
            crate::tr!(desk.state_paused_since, at = shared::report::utc(paused.at), reason = paused.reason.clone())
        }
        None => crate::tr!(desk.state_sending).to_string(),
    };
    let last = match &hook.last_delivery {
        Some(d) => crate::tr!(
            desk.last_attempt,
            result = result_of(d),
            event = d.kind.as_str(),
            at = shared::report::utc(d.at)
        ),
        None => crate::tr!(desk.last_attempt_none).to_string(),
    };
    let label = hook.description.clone().unwrap_or_else(|| hook.url.clone());
    let (toggle, toggle_hook, delete_hook) =
        (if hook.paused.is_some() { "resume" } else { "pause" }, hook.clone(), hook.clone());
    let id = hook.id.clone();
    view! {
        <tr data-webhook=hook.id.clone() data-paused=hook.paused.is_some().to_string()>
            <td>
                <span class="url">{hook.url.clone()}</span>
                {hook.description.clone().map(|d| view! { <br /><span class="small">{d}</span> })}
            </td>
            <td>{events}</td>
            <td>{state}</td>
            <td>{last}</td>
            <td class="actions">
                <button type="button" aria-label=if toggle == "pause" { crate::tr!(desk.pause_webhook_label, label = label.clone()) } else { crate::tr!(desk.resume_webhook_label, label = label.clone()) } on:click=move |_| act(toggle, toggle_hook.clone())>
                    {if toggle == "pause" { crate::tr!(desk.pause_button) } else { crate::tr!(desk.resume_button) }}
                </button>
                <button type="button" aria-label=crate::tr!(desk.delivery_log_label, label = label.clone()) on:click=move |_| shown_log.set(Some(id.clone()))>
                    {crate::tr!(desk.delivery_log_heading)}
                </button>
                <button type="button" aria-label=crate::tr!(desk.delete_webhook_label, label = label.clone()) on:click=move |_| act("delete", delete_hook.clone())>
                    {crate::tr!(desk.delete_button)}
                </button>
            </td>
        </tr>
    }
}

/// An endpoint's attempts, newest first, a page at a time.
#[component]
fn DeliveryLog(id: String, token: String, close: Callback<()>) -> impl IntoView {
    let log = Paged::<Delivery>::new(format!("/api/webhooks/{}/deliveries", http::encode(&id)), Some(token));
    let rows = move || match log.list.get() {
        None => view! { <p class="empty">{crate::tr!(desk.loading)}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(all)) if all.is_empty() => {
            view! { <p class="empty">{crate::tr!(desk.nothing_sent_yet)}</p> }.into_any()
        }
        Some(Ok(all)) => view! {
            <table class="deliveries">
                <caption class="sr-only">{crate::tr!(desk.deliveries_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(desk.col_when_utc)}</th>
                        <th scope="col">{crate::tr!(desk.col_event)}</th>
                        <th scope="col">{crate::tr!(desk.col_attempt)}</th>
                        <th scope="col">{crate::tr!(desk.col_answer)}</th>
                        <th scope="col">{crate::tr!(desk.col_took)}</th>
                    </tr>
                </thead>
                <tbody>
                    {all
                        .into_iter()
                        .map(|d| view! {
                            <tr data-ok=d.ok.to_string()>
                                <td>{shared::report::utc(d.at)}</td>
                                <td>{format!("{} (#{})", d.kind.as_str(), d.seq.0)}</td>
                                <td>{d.attempt}</td>
                                <td>{result_of(&d)}</td>
                                <td>{crate::tr!(desk.duration_ms, ms = d.duration_ms)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    };
    view! {
        <section class="delivery-log" aria-labelledby="delivery-log-heading">
            <h3 id="delivery-log-heading">{crate::tr!(desk.delivery_log_heading)}</h3>
            <p>
                <button type="button" on:click=move |_| log.reload()>{crate::tr!(desk.refresh_button)}</button>
                " "
                <button type="button" on:click=move |_| close.run(())>{crate::tr!(desk.close_log_button)}</button>
            </p>
            {rows}
            <LoadMore list=log />
        </section>
    }
}
