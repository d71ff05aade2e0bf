// Interim main job until apps/demo lands: sign and verify the document's quick-pay sample order.
import { md5Sign, md5Verify, signingString } from '@mmsp/codec';

const key = 'ea21842eea24e448b991b1cb0a0294cf'; // NOTES §8: the document's test key
const body = {
  MERORDERID: '20171121170001', CARDNO: '6225880113756648', AMT: '899', CARDTYPE: '1',
  NAME: '张三', ID_NO: '440301199001011234', PHONENO: '13800138000', RANDSTR: 'a1b2c3d4e5',
  NOTIFY_URL: 'https://shop.example.com/mmsp/notify',
};
const sign = md5Sign(body, key);
console.log('signing string:', signingString(body).replace(/"(CARDNO|ID_NO)":"[^"]*"/g, '"$1":"***"'));
console.log('Sign:', sign, 'verifies:', md5Verify(body, sign, key));
