// The demo single-page app: routes by path with the History API, as React
// Router, Vue Router or the Next.js router do. Footfall needs no help to count
// its pages; the stub lets the app record events before the tracker loads.
window.footfall =
  window.footfall ||
  function () {
    // biome-ignore lint/complexity/noArguments: the snippet sites paste queues calls as made, in any browser
    (window.footfall.q = window.footfall.q || []).push(arguments);
  };

const titles = { '/app/': 'Overview', '/app/orders': 'Orders', '/app/settings': 'Settings' };

function render() {
  document.getElementById('view').textContent = titles[location.pathname] || 'Not found';
}

document.getElementById('app-nav').addEventListener('click', (event) => {
  const link = event.target.closest('a');
  if (!link) return;
  event.preventDefault();
  history.pushState({}, '', link.getAttribute('href'));
  render();
});
document.getElementById('sort').addEventListener('click', () => {
  history.replaceState({}, '', `${location.pathname}?sort=date`);
});
document.getElementById('upgrade').addEventListener('click', () => {
  window.footfall('Upgrade', { props: { plan: 'business' }, revenue: { amount: 29, currency: 'EUR' } });
});
addEventListener('popstate', render);
render();
