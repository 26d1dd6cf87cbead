import { get } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { loading, pageHeading } from '../ui.js';

export async function render(main) {
  pageHeading(main, 'config.title');
  main.append(h('p', {}, t('config.explain')));
  const done = loading(main);
  const config = await get('/config');
  done();
  main.append(h('pre', { class: 'json', tabindex: '0', 'aria-label': t('config.title') }, JSON.stringify(config, null, 2)));
}
