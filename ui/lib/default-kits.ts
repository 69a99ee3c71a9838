// The kits every Framefill user starts with. Each suffix follows the prompting habits the panel
// teaches: the user's prompt names the subject, the kit adds only the tail — camera and light
// first, style anchors last — and says what it wants, never what it doesn't. No model: a default
// keeps whichever model the user chose.
import type { Kit } from '../../plugin/messages';

export const DEFAULT_KITS: readonly Kit[] = [
  {
    id: 'default:studio-product',
    name: 'Studio product',
    suffix: '50mm, softbox key light, seamless light-grey backdrop, crisp commercial product photography',
    references: [],
    tier: 'medium',
    sizeMode: '1:1',
  },
  {
    id: 'default:editorial-lifestyle',
    name: 'Editorial lifestyle',
    suffix: '35mm at eye level, soft window light in the late afternoon, natural skin tones, candid editorial magazine photography',
    references: [],
    tier: 'medium',
    sizeMode: '3:2',
  },
  {
    id: 'default:flat-illustration',
    name: 'Flat illustration',
    suffix: 'straight-on view, even flat lighting, bold geometric shapes, limited warm palette, clean flat vector illustration',
    references: [],
    tier: 'low',
    sizeMode: '4:3',
  },
  {
    id: 'default:isometric-3d',
    name: 'Isometric 3D',
    suffix: 'isometric three-quarter view from above, soft global illumination with gentle ambient occlusion, pastel colours, smooth matte 3D render',
    references: [],
    tier: 'medium',
    sizeMode: '1:1',
  },
  {
    id: 'default:social-portrait',
    name: 'Social feed portrait',
    suffix: '85mm portrait lens, shallow depth of field, warm golden-hour rim light, vibrant lifestyle photography for a social feed',
    references: [],
    tier: 'medium',
    sizeMode: '4:5',
  },
];
