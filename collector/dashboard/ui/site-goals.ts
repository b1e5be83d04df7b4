import type { FunnelAnswer, GoalAnswer } from '../../stats/goal-input.ts';
import { type Api, ApiError } from './api.ts';
import { h } from './dom.ts';

/** What a goal counts, in words: `page views of /checkout/*`, `Signup events where plan = pro`. */
function describeGoal(goal: GoalAnswer): string {
  const own = goal.page !== null ? `page views of ${goal.page}` : `${goal.event} events`;
  return goal.property ? `${own} where ${goal.property.key} = ${goal.property.value}` : own;
}

/**
 * A site's goals and saved funnels in the Settings view, each with Delete,
 * and a form to add one of each: every action one call of the goals API
 * (docs/goals.md) with the key in use, then the list read again. A key that
 * may not read them shows nothing; one that may not change them is told so
 * by the API's refusal, shown beside the lists.
 */
export async function showSiteGoals(api: Api, site: string, into: HTMLElement, done = ''): Promise<void> {
  const params = new URLSearchParams({ site_id: site });
  let goals: GoalAnswer[];
  let funnels: FunnelAnswer[];
  try {
    [goals, funnels] = await Promise.all([
      api.json<{ goals: GoalAnswer[] }>('/goals', params).then((r) => r.goals),
      api.json<{ funnels: FunnelAnswer[] }>('/funnels', params).then((r) => r.funnels),
    ]);
  } catch {
    into.replaceChildren();
    return;
  }
  const status = h('p', { class: 'muted goals-status', role: 'status' }, done);
  const act = (what: () => Promise<unknown>, said: string) =>
    void (async () => {
      try {
        await what();
        await showSiteGoals(api, site, into, said);
      } catch (error) {
        status.textContent = error instanceof ApiError ? error.message : String(error);
      }
    })();
  const remove = (kind: 'goals' | 'funnels', id: number, name: string) => {
    const button = h('button', { class: 'link-button', type: 'button' }, 'Delete');
    button.addEventListener('click', () =>
      act(() => api.send('DELETE', `/${kind}?${new URLSearchParams({ site_id: site, id: String(id) })}`), `Deleted ${name}.`),
    );
    return button;
  };

  into.replaceChildren(
    h('h4', {}, 'Goals'),
    h(
      'ul',
      { class: 'settings-goals' },
      ...goals.map((g) => h('li', {}, `${g.name} · ${describeGoal(g)} `, remove('goals', g.id, g.name))),
    ),
    addGoalForm(site, act),
    h('h4', {}, 'Funnels'),
    h(
      'ul',
      { class: 'settings-funnels' },
      ...funnels.map((f) => h('li', {}, `${f.name} · ${f.steps.join(' → ')} `, remove('funnels', f.id, f.name))),
    ),
    addFunnelForm(site, goals, act),
    status,
  );

  function addGoalForm(siteId: string, run: typeof act): HTMLFormElement {
    const name = h('input', { name: 'name', required: true, placeholder: 'Signup', autocomplete: 'off' });
    const kind = h(
      'select',
      { name: 'kind' },
      h('option', { value: 'page' }, 'page views of'),
      h('option', { value: 'event' }, 'events named'),
    );
    const target = h('input', { name: 'target', required: true, placeholder: '/checkout/* or Signup', autocomplete: 'off' });
    const key = h('input', { name: 'property_key', placeholder: 'property (optional)', autocomplete: 'off' });
    const value = h('input', { name: 'property_value', placeholder: 'value', autocomplete: 'off' });
    const form = h(
      'form',
      { class: 'settings-form add-goal-form' },
      name,
      kind,
      target,
      key,
      value,
      h('button', { class: 'button small', type: 'submit' }, 'Add the goal'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const goal = {
        site_id: siteId,
        name: name.value.trim(),
        [kind.value === 'page' ? 'page' : 'event']: target.value.trim(),
        ...(key.value.trim() ? { property: { key: key.value.trim(), value: value.value } } : {}),
      };
      run(() => api.send('POST', '/goals', goal), `Added the goal ${goal.name}.`);
    });
    return form;
  }

  function addFunnelForm(siteId: string, known: readonly GoalAnswer[], run: typeof act): HTMLFormElement {
    const name = h('input', { name: 'name', required: true, placeholder: 'Checkout', autocomplete: 'off' });
    // Goal names hold no comma: the steps are typed as the funnel endpoint takes them.
    const steps = h('input', {
      name: 'steps',
      required: true,
      placeholder: known.length >= 2 ? known.map((g) => g.name).join(', ') : 'two goals or more, in order',
      autocomplete: 'off',
    });
    const form = h(
      'form',
      { class: 'settings-form add-funnel-form' },
      name,
      steps,
      h('button', { class: 'button small', type: 'submit' }, 'Save the funnel'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const funnel = {
        site_id: siteId,
        name: name.value.trim(),
        steps: steps.value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      };
      run(() => api.send('POST', '/funnels', funnel), `Saved the funnel ${funnel.name}.`);
    });
    return form;
  }
}
