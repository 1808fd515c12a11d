// Compile-time proof that misuse is a type error for a consumer. Never run: each line below must
// fail to type-check, and `// @ts-expect-error` makes tsc fail if one of them stops failing.
import { createDxClient } from '@dx/core-client';
import { sendDownlink, encodeCayenneLpp } from '@dx/downlink-helpers';

export function misuse(client: ReturnType<typeof createDxClient>): void {
  const payload = encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]);

  // @ts-expect-error fPort is a number; the decimal string is the REST body's business.
  void sendDownlink(client, { device: '0018B20000000B20', payload, fPort: '2' });

  // @ts-expect-error device is required.
  void sendDownlink(client, { payload, fPort: 2 });

  // @ts-expect-error confirm is a boolean.
  void sendDownlink(client, { device: '0018B20000000B20', payload, fPort: 2, confirm: 'yes' });

  // @ts-expect-error the client comes first.
  void sendDownlink({ device: '0018B20000000B20', payload, fPort: 2 });
}
