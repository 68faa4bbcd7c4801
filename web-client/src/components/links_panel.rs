//! The links of a meeting, or of a whole process, on the secretariat's console: a link for every
//! delegation of a list at once
//! (pasted from a spreadsheet; the server reads it and names each line it cannot — reading it here
//! too would bring Unicode's normalisation tables into the client), a link for each
//! officer (chair, vice-chair, interpreters, display), a token for the room's conference system
//! (its seats' request-to-speak buttons), the links issued so far with re-issue and revoke, a CSV
//! for a mail merge, and a printable sheet with a QR code per delegation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{IssuedLink, LinksAnswer, LinksRequest, Officer};
use shared::{MeetingId, Role};

use crate::components::field::Field;
use crate::components::load_more::LoadMore;
use crate::components::secretariat_console::Outcome;
use crate::http;
use crate::paged::Paged;

/// The roles an officer's link may have, as the form offers them.
const OFFICERS: [(Role, &str); 5] = [
    (Role::Chair, "Chair"),
    (Role::ViceChair, "Vice-Chair"),
    (Role::Secretariat, "Secretariat officer"),
    (Role::Interpreter, "Interpreters' booth"),
    (Role::Observer, "Room display"),
];

/// The list as typed: a header naming the `delegation` column, or one delegation per line (a
/// header is then added), as a spreadsheet's column pasted on its own would be.
pub fn with_header(text: &str) -> String {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    if first.to_lowercase().contains("delegation") {
        text.to_string()
    } else {
        format!("delegation\n{text}")
    }
}

#[component]
pub fn LinksPanel(process: String, meeting: Option<String>, token: String) -> impl IntoView {
    let path = match &meeting {
        Some(meeting) => format!("/api/processes/{}/links?meeting={}", http::encode(&process), http::encode(meeting)),
        None => format!("/api/processes/{}/links", http::encode(&process)),
    };
    // A link to the whole process opens every meeting of it: delegations and the secretariat's
    // officers; the chair, interpreters and displays have a meeting's.
    let officers: Vec<(Role, &str)> =
        OFFICERS.iter().copied().filter(|(role, _)| meeting.is_some() || *role == Role::Secretariat).collect();
    let whose = if meeting.is_some() { "this meeting" } else { "every meeting of the process" };
    let heading = if meeting.is_some() { "Links" } else { "Links to every meeting of the process" };
    let links = Paged::<IssuedLink>::new(path, Some(token.clone()));
    let issue_path = StoredValue::new(format!("/api/processes/{}/links", http::encode(&process)));
    let meeting_id = StoredValue::new(meeting.and_then(|m| MeetingId::parse(m).ok()));
    let token = StoredValue::new(token);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let sheet = RwSignal::new(false);

    let send = move |request: LinksRequest| {
        spawn_local(async move {
            let answer: Result<LinksAnswer, String> =
                http::post(&issue_path.get_value(), Some(&token.get_value()), Some(&request)).await;
            outcome.set(Some(answer.map(|a| {
                let issued = crate::labels::count(a.issued, "link issued", "links issued");
                match a.kept {
                    0 => format!("{issued}."),
                    kept => format!("{issued}; {} already had a working link, kept.", kept),
                }
            })));
            links.reload();
        })
    };

    let list = RwSignal::new(String::new());
    let issue_list = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let list = Some(with_header(&list.get_untracked()));
        send(LinksRequest { meeting: meeting_id.get_value(), ttl_hours: None, list, officer: None, device: None });
    };

    let officer_name = RwSignal::new(String::new());
    let officer_role = RwSignal::new(officers[0].0);
    let issue_officer = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let officer = Officer { role: officer_role.get_untracked(), name: officer_name.get_untracked() };
        send(LinksRequest {
            meeting: meeting_id.get_value(),
            ttl_hours: None,
            list: None,
            officer: Some(officer),
            device: None,
        });
        officer_name.set(String::new());
    };

    let device_name = RwSignal::new(String::new());
    let issue_device = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let device = Some(device_name.get_untracked());
        send(LinksRequest { meeting: meeting_id.get_value(), ttl_hours: None, list: None, officer: None, device });
        device_name.set(String::new());
    };

    let act = move |what: &'static str, id: String| {
        spawn_local(async move {
            let path = format!("/api/links/{}/{what}", http::encode(&id));
            let body =
                (what == "revoke").then(|| serde_json::json!({"reason": "Revoked from the secretariat's console"}));
            let answer: Result<IssuedLink, String> = http::post(&path, Some(&token.get_value()), body.as_ref()).await;
            outcome.set(Some(answer.map(|l| {
                let verb = if what == "revoke" { "revoked" } else { "issued again" };
                format!("The link of {} was {verb}.", who(&l))
            })));
            links.reload();
        })
    };

    let download = move |_| {
        let rows = links.list.with_untracked(|l| l.as_ref().and_then(|r| r.as_ref().ok()).cloned()).unwrap_or_default();
        let csv = shared::api::links_csv(&rows, shared::Millis(crate::browser::local_now()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/csv;charset=utf-8");
        let saved = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&csv.into()), &options)
            .map_err(|_| "The browser could not make the file.".to_string())
            .and_then(|blob| {
                crate::browser::save_blob(&blob, &format!("links-{}.csv", meeting_file(meeting_id.get_value())))
            });
        if let Err(problem) = saved {
            outcome.set(Some(Err(problem)));
        }
    };

    let rows = move || match links.list.get() {
        None => view! { <p class="empty">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(all)) if all.is_empty() => view! { <p class="empty">"No link issued yet."</p> }.into_any(),
        Some(Ok(all)) => view! {
            <table class="links">
                <caption class="sr-only">{format!("Links issued for {whose}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"For"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Link"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {all.into_iter().map(|l| link_row(l, act)).collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    };

    view! {
        <section class="card links-panel" aria-labelledby="links-heading">
            <h2 id="links-heading">{heading}</h2>
            <form class="stack issue-list" on:submit=issue_list>
                <Field
                    label="Delegations: paste the list from a spreadsheet (a column named delegation, and representative if you have names), or one delegation per line"
                    value=list
                    name="delegations"
                    rows=8
                    placeholder="delegation;representative\nChile;Ana Rojas\nKenya;"
                    hint="A name Rostrum does not know is named with its line, and then no link is issued."
                />
                <button type="submit" disabled=move || list.get().trim().is_empty()>
                    "Issue a link for each delegation"
                </button>
            </form>
            <form class="inline-form issue-officer" on:submit=issue_officer>
                <label>
                    "Officer"
                    <select
                        name="officer_role"
                        on:change=move |ev| officer_role.set(event_target_value(&ev).parse().unwrap_or(Role::Chair))
                    >
                        {officers
                            .iter()
                            .map(|(role, label)| view! { <option value=shared::report::key(role)>{*label}</option> })
                            .collect_view()}
                    </select>
                </label>
                <Field label="Name" value=officer_name name="officer_name" required=true maxlength=120 placeholder="H.E. Ms. Amina Diallo" />
                <button type="submit">"Issue the officer's link"</button>
            </form>
            <form class="inline-form issue-device" on:submit=issue_device>
                <Field
                    label="Conference system: its name"
                    value=device_name
                    name="device_name"
                    required=true
                    maxlength=120
                    placeholder="Conference Room 2 microphones"
                    hint="The seats' request-to-speak buttons then add the delegations' requests, in the room. Its token goes into the system's settings (docs/api.md, Conference systems)."
                />
                <button type="submit">"Issue the system's token"</button>
            </form>
            <Outcome outcome=outcome />
            <p class="downloads">
                <button type="button" on:click=download>"Download the links (CSV)"</button>
                " "
                <button type="button" on:click=move |_| sheet.set(true)>"Show the sheet of QR codes to print"</button>
            </p>
            {rows}
            <LoadMore list=links />
            <Show when=move || sheet.get()>
                <QrSheet links=links close=Callback::new(move |()| sheet.set(false)) />
            </Show>
        </section>
    }
}

/// "Ana Rojas (Chile)" or an officer's name.
fn who(link: &IssuedLink) -> String {
    match &link.participant.delegation {
        Some(delegation) => format!("{} ({delegation})", link.participant.name),
        None => link.participant.name.clone(),
    }
}

fn meeting_file(meeting: Option<MeetingId>) -> String {
    meeting.map_or_else(|| "process".to_string(), |m| m.to_string())
}

fn link_row(link: IssuedLink, act: impl Fn(&'static str, String) + Copy + 'static) -> impl IntoView {
    let role = match link.kind {
        Some(kind) => kind.label().to_string(),
        None if link.device => "Conference system".to_string(),
        None => crate::labels::role(link.participant.role).to_string(),
    };
    let expires = shared::report::utc(link.expires_at);
    let (reissue_id, revoke_id) = (link.id.clone(), link.id.clone());
    let name = who(&link);
    let status = if link.revoked_at.is_some() {
        "revoked"
    } else if link.link.is_some() || link.token.is_some() {
        "works"
    } else {
        "expired"
    };
    view! {
        <tr data-link=link.id.clone() data-status=status>
            <td>
                <bdi>{link.participant.name.clone()}</bdi>
                {link.participant.delegation.clone().map(|d| view! { " (" <bdi>{d}</bdi> ")" })}
            </td>
            <td>{role}</td>
            <td>
                {match (link.link.clone(), link.token.clone()) {
                    (Some(address), _) => view! {
                        <input class="personal-link" readonly aria-label=format!("Link of {name}") prop:value=address />
                    }
                    .into_any(),
                    (None, Some(token)) => view! {
                        <input class="device-token" readonly aria-label=format!("Token of {name}") prop:value=token />
                    }
                    .into_any(),
                    (None, None) if link.revoked_at.is_some() => view! { <span>"Revoked"</span> }.into_any(),
                    (None, None) => view! { <span>"Expired"</span> }.into_any(),
                }}
            </td>
            <td>{expires}</td>
            <td class="actions">
                <button type="button" aria-label=format!("Issue again the link of {name}") on:click=move |_| act("reissue", reissue_id.clone())>
                    "Issue again"
                </button>
                <button
                    type="button"
                    disabled=link.revoked_at.is_some()
                    aria-label=format!("Revoke the link of {name}")
                    on:click=move |_| act("revoke", revoke_id.clone())
                >
                    "Revoke"
                </button>
            </td>
        </tr>
    }
}

/// The sheet handed to delegations in the room: a card per working link with a QR code to scan.
/// Printed (Ctrl+P, or the button), only the cards are on paper.
#[component]
fn QrSheet(links: Paged<IssuedLink>, close: Callback<()>) -> impl IntoView {
    let cards = move || {
        links.list.with(|l| {
            l.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|all| {
                    all.iter()
                        .filter_map(|link| link.link.clone().map(|address| (who(link), link.kind, address)))
                        .map(|(name, kind, address)| {
                            let svg = qr_svg(&address);
                            view! {
                                <li class="qr-card">
                                    <p class="name">{name.clone()}</p>
                                    {kind.map(|k| view! { <p class="small">{k.label()}</p> })}
                                    <div class="qr" role="img" aria-label=format!("QR code of the link of {name}") inner_html=svg></div>
                                    <p class="address">{address}</p>
                                </li>
                            }
                        })
                        .collect_view()
                })
        })
    };
    view! {
        <section class="qr-sheet" aria-labelledby="qr-heading">
            <h2 id="qr-heading">"Links to hand out"</h2>
            <p class="no-print">
                <button type="button" on:click=move |_| crate::browser::print()>"Print"</button>
                " "
                <button type="button" on:click=move |_| close.run(())>"Close the sheet"</button>
            </p>
            <ul class="qr-cards">{cards}</ul>
        </section>
    }
}

/// A QR code of `text` as an SVG image (black on white, with its quiet zone), or nothing when the
/// text is too long for a QR code.
fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(180, 180)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_column_of_names_gets_the_header_the_reader_needs() {
        assert_eq!(with_header("Chile\nKenya\n"), "delegation\nChile\nKenya\n");
        assert_eq!(with_header("Delegation;Representative\nChile;Ana\n"), "Delegation;Representative\nChile;Ana\n");
        let list = shared::delegations::parse_list(&with_header("Chile\nTurkey\n")).unwrap();
        assert_eq!(list[1].delegation.name, "Türkiye");
    }

    #[test]
    fn a_link_becomes_an_svg_qr_code() {
        let svg = qr_svg("http://127.0.0.1:8080/speak?meeting=s9-m3#token=eyJhbGciOiJIUzI1NiJ9.e30.abc");
        assert!(svg.contains("<svg") && svg.contains("#000000"), "{svg}");
    }
}
