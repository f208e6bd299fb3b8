import { nameTokens } from './names.ts'

// Spellings and short forms of one name that a matcher should treat as the same name. Each line is one
// group; the first entry names it. Transliteration variants of Arabic names (Muhammad), Tigrinya and
// Amharic names (Tesfay), Albanian and Vietnamese spellings with and without their letters' marks are
// mostly caught by diacritic folding and the sound key; these are the ones neither catches, and the
// English short forms that officers record as the name a child gives.
const GROUPS = `
muhammad mohammed mohammad mohamed mohamad muhammed mohamud mohammod muhamad mohd mehmet mahomed muhamed mamadou mo moe محمد
ahmed ahmad ahmet achmed ahmadi أحمد احمد
mahmoud mahmud mehmood mahmood محمود
abdlah abdullah abdallah abdulla abdalla عبد الله عبدالله
abdrahman abdulrahman abdelrahman abdurrahman abdirahman عبد الرحمن عبدالرحمن
abdkadir abdulkadir abdelkader abdulqadir abdikadir
yusuf yousef youssef yousif yusif yosef yousuf يوسف
hussein husain hussain husein hossein hüseyin huseyin husayn حسين
hassan hasan hasen حسن
omar umar omer عمر
osman uthman othman usman عثمان
ibrahim ebrahim ibraheem ibrahima إبراهيم ابراهيم
ismail ismael esmail ismayil إسماعيل اسماعیل
mustafa mustapha mostafa mustefa مصطفى
khalid khaled خالد
said saeed sayed saeid sayid
jamal gamal
ali علي علی
musa mousa moussa موسى
adam adem آدم
yahya yahia yehia يحيى
suleiman sulaiman suliman sleiman سليمان
idris idriss إدريس
bashir basheer بشير
hamid hameed hamed حامد حمید
karim kareem كريم کریم
sara sarah سارة
huda hoda هدى
khadija khadiga khadijah خديجة
amna amina aminah آمنة
hawa hawaa حواء
zahra zehra زهرا
salma selma سلمى
abubakar abubakr aboubakar
fatima fatimah fatma fatuma فاطمة فاطمه
aisha aysha ayesha aicha aishah عائشة
maryam mariam meryem mariama miriam مريم مریم
zainab zaynab zeinab زينب
nur noor nour نور
yohannes yohanes johannes yohanis
tesfay tesfaye tesfai tesfa
tekle teklay teklai
haile hayle
gebre ghebre gebru
berhe berhane birhane
kidane kidan
tsegay tsegai tsegaye
girmay ghirmay germay
mehari mhari
semere semre
habtom habtemariam
amanuel emanuel emmanuel
yonas jonas yunus
mesfin mesfun
selam salam
gjergj george
xhon john
william bill billy will willy liam
robert bob bobby rob robbie bert
richard rick ricky dick rich
james jim jimmy jamie
john jack johnny jon
michael mike mick mikey mickey
thomas tom tommy
anthony tony
christopher chris kit
daniel dan danny
joseph joe joey
matthew matt
nicholas nick nicky
edward ed eddie ted teddy ned
charles charlie chuck chas
alexander alex alec sandy
samuel sam sammy
benjamin ben benny
jonathan jon jonny
david dave davey
andrew andy drew
stephen steven steve stevie
elizabeth liz lizzie beth betty eliza libby
margaret maggie meg peggy
catherine katherine kathryn katharine kate katie kathy cathy kat
jennifer jen jenny
rebecca becky becca
jessica jess jessie
victoria vicky tori
patricia pat patty trish
susan sue susie suzanne
deborah debbie deb
alexandra alex lexi sandra
abigail abbie abby
olivia liv livvy
emily em emmy
amelia millie milly
sophie sophia
megan meg
charlotte lottie
jasmine jaz jas
joshua josh
nathan nate
bradley brad
rhys reece rees reese
`

/** Token (as nameTokens reads it) -> the first spelling of its group, for every listed spelling. */
export const NAME_VARIANT_OF: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>()
  for (const line of GROUPS.trim().split('\n')) {
    const tokens = line.trim().split(/\s+/).map((spelling) => nameTokens(spelling)[0] ?? spelling)
    const head = tokens[0]
    if (!head) continue
    for (const token of tokens) if (!map.has(token)) map.set(token, head)
  }
  return map
})()
