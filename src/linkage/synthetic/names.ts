// Name pools for the synthetic multicultural records, by nationality group. A name is its spellings (the
// first the usual one), and where useful its form in the script an interpreter or a document would use.
// Frequencies are skewed on purpose: a few Vietnamese family names cover most people, as they do.

export interface NameItem {
  spellings: string[]
  /** As written in Arabic, Ge'ez or Vietnamese with its marks. */
  script?: string
  weight?: number
}

const item = (spellings: string, script?: string, weight = 1): NameItem => ({ spellings: spellings.split('|'), ...(script ? { script } : {}), weight })

export const BRITISH = {
  male: [
    item('Oliver'), item('Jack'), item('Harry'), item('George'), item('Charlie'), item('Thomas|Tom|Tommy'), item('James|Jim|Jamie'),
    item('William|Will|Billy|Bill'), item('Joshua|Josh'), item('Daniel|Danny|Dan'), item('Samuel|Sam'), item('Joseph|Joe'),
    item('Benjamin|Ben'), item('Alexander|Alex'), item('Michael|Mike|Mikey'), item('Ryan'), item('Liam'), item('Mason'), item('Kyle'),
    item('Connor'), item('Callum'), item('Lewis'), item('Tyler'), item('Jordan'), item('Reece|Rhys'), item('Ethan'), item('Kai'),
    item('Jayden|Jaden'), item('Dylan'), item('Nathan|Nate'), item('Matthew|Matt'), item('Robert|Rob|Bobby'), item('Anthony|Tony'),
    item('Christopher|Chris'), item('Leon'), item('Tyrese'), item('Marcus'), item('Jamal'), item('Kian'), item('Bradley|Brad'),
  ],
  female: [
    item('Olivia|Liv'), item('Amelia|Millie'), item('Isla'), item('Ava'), item('Emily|Em'), item('Jessica|Jess'), item('Sophie|Sophia'),
    item('Chloe'), item('Megan|Meg'), item('Lauren'), item('Hannah'), item('Ellie'), item('Grace'), item('Lucy'), item('Mia'),
    item('Katie|Kate|Catherine'), item('Rebecca|Becky'), item('Elizabeth|Liz|Beth'), item('Charlotte|Lottie'), item('Abigail|Abbie'),
    item('Shannon'), item('Demi'), item('Chelsea'), item('Courtney'), item('Jade'), item('Leah'), item('Keira'), item('Tia'),
    item('Paige'), item('Aaliyah'), item('Victoria|Vicky'), item('Jasmine|Jaz'), item('Niamh'), item('Holly'), item('Amber'),
  ],
  family: [
    item('Smith', undefined, 6), item('Jones', undefined, 4), item('Williams', undefined, 3), item('Taylor', undefined, 3), item('Brown', undefined, 3),
    item('Davies', undefined, 2), item('Evans', undefined, 2), item('Wilson', undefined, 2), item('Thomas', undefined, 2), item('Johnson', undefined, 2),
    item('Roberts'), item('Robinson'), item('Thompson'), item('Wright'), item('Walker'), item('White'), item('Edwards'), item('Hughes'), item('Green'),
    item('Hall'), item('Lewis'), item('Harris'), item('Clarke|Clark'), item('Patel', undefined, 2), item('Jackson'), item('Wood'), item('Turner'),
    item('Martin'), item('Cooper'), item('Hill'), item('Ward'), item('Morris'), item('Moore'), item('Clayton'), item('Lee'), item('King'),
    item('Baker'), item('Harrison'), item('Morgan'), item('Allen'), item('James'), item('Scott'), item('Phillips'), item('Watson'), item('Davis'),
    item('Parker'), item('Price'), item('Bennett'), item('Young'), item('Griffiths'), item('Mitchell'), item('Kelly'), item('Cook'), item('Carter'),
    item('Richardson'), item('Bailey'), item('Collins'), item('Bell'), item('Shaw'), item('Murphy'), item('Miller'), item('Cox'), item('Richards'),
    item('Khan', undefined, 2), item('Marshall'), item('Anderson'), item('Simpson'), item('Ellis'), item('Adams'), item('Singh', undefined, 2),
    item('Begum'), item('Ali'), item('Hussain'), item('Ahmed'), item('Okafor'), item('Mensah'), item('Campbell'), item('McDonald|MacDonald'),
    item("O'Brien|OBrien|O Brien"), item('Fletcher'), item('Gordon'), item('Kennedy'), item('Sutton'), item('Holmes'), item('Lloyd'), item('Gibson'),
  ],
}

export const ALBANIAN = {
  male: [
    item('Ardit'), item('Arben'), item('Besnik'), item('Blerim'), item('Dritan'), item('Elton'), item('Endrit'), item('Ervin'), item('Fatjon'),
    item('Gentian'), item('Ilir'), item('Klevis'), item('Kristian'), item('Luan'), item('Marsel'), item('Olsi'), item('Redon'), item('Rigels'),
    item('Sokol'), item('Taulant'), item('Xhoni|Joni', 'Xhoni'), item('Xhuljan|Julian', 'Xhuljan'), item('Arlind'), item('Alban'), item('Andi'),
    item('Bledar'), item('Erion'), item('Florian'), item('Gjergj|Gjergji'), item('Mario'), item('Kledi'), item('Ergys'), item('Denis'),
  ],
  female: [
    item('Ardita'), item('Besa'), item('Blerta'), item('Drita'), item('Elira'), item('Enkeleda'), item('Fjolla'), item('Ilda'), item('Jonida'),
    item('Klea'), item('Megi'), item('Rozafa'), item('Sara'), item('Xhesika|Jessica', 'Xhesika'), item('Anisa'), item('Dorina'), item('Kejsi'),
  ],
  family: [
    item('Hoxha', undefined, 4), item('Shehu', undefined, 2), item('Gashi', undefined, 2), item('Berisha', undefined, 3), item('Krasniqi', undefined, 2),
    item('Kola'), item('Leka'), item('Dervishi'), item('Cela|Chela', 'Çela'), item('Doci|Dochi', 'Doçi'), item('Muca|Mucha', 'Muça'), item('Basha'),
    item('Hysa'), item('Lika'), item('Prifti'), item('Marku'), item('Gjoka'), item('Bregu'), item('Toska'), item('Deda'), item('Kelmendi'),
    item('Zeneli'), item('Meta'), item('Rama'), item('Beqiri'), item('Dedja'), item('Halili'), item('Mema'), item('Nika'), item('Gjini'),
    item('Lleshi'), item('Qosja|Kosja', 'Qosja'), item('Xhafa|Jafa', 'Xhafa'), item('Cani|Chani', 'Çani'), item('Hoti'), item('Vata'),
  ],
}

export const VIETNAMESE = {
  family: [
    item('Nguyen|Nguyễn', 'Nguyễn', 38), item('Tran|Trần', 'Trần', 11), item('Le|Lê', 'Lê', 9), item('Pham|Phạm', 'Phạm', 7),
    item('Hoang|Huynh', 'Hoàng', 5), item('Phan', 'Phan', 4), item('Vu|Vo|Võ', 'Vũ', 4), item('Dang|Đặng', 'Đặng', 2), item('Bui|Bùi', 'Bùi', 2),
    item('Do|Đỗ', 'Đỗ', 2), item('Ho|Hồ', 'Hồ', 1), item('Ngo|Ngô', 'Ngô', 1), item('Duong|Dương', 'Dương', 1), item('Ly|Lý', 'Lý', 1),
    item('Dinh|Đinh', 'Đinh', 1), item('Truong|Trương', 'Trương', 1), item('Lam|Lâm', 'Lâm', 1), item('Mai', 'Mai', 1),
  ],
  middleMale: [item('Van|Văn', 'Văn', 8), item('Duc|Đức', 'Đức', 2), item('Minh', 'Minh', 2), item('Quoc|Quốc', 'Quốc', 1), item('Huu|Hữu', 'Hữu', 1), item('Thanh', 'Thanh', 1), item('Cong|Công', 'Công', 1)],
  middleFemale: [item('Thi|Thị', 'Thị', 10), item('Ngoc|Ngọc', 'Ngọc', 2), item('Thu', 'Thu', 1), item('Kim', 'Kim', 1), item('Thanh', 'Thanh', 1)],
  male: [
    item('An', 'An'), item('Anh', 'Anh'), item('Bao|Bảo', 'Bảo'), item('Binh|Bình', 'Bình'), item('Cuong|Cường', 'Cường'), item('Dung|Dũng', 'Dũng'),
    item('Dat|Đạt', 'Đạt'), item('Duy', 'Duy'), item('Hai|Hải', 'Hải'), item('Hieu|Hiếu', 'Hiếu'), item('Hoang|Hoàng', 'Hoàng'), item('Hung|Hùng', 'Hùng'),
    item('Huy', 'Huy'), item('Khanh|Khánh', 'Khánh'), item('Khoa', 'Khoa'), item('Kien|Kiên', 'Kiên'), item('Long', 'Long'), item('Luan|Luân', 'Luân'),
    item('Manh|Mạnh', 'Mạnh'), item('Minh', 'Minh'), item('Nam', 'Nam'), item('Nghia|Nghĩa', 'Nghĩa'), item('Phong', 'Phong'), item('Phuc|Phúc', 'Phúc'),
    item('Quan|Quân', 'Quân'), item('Quang', 'Quang'), item('Son|Sơn', 'Sơn'), item('Tai|Tài', 'Tài'), item('Thang|Thắng', 'Thắng'), item('Thanh', 'Thanh'),
    item('Tien|Tiến', 'Tiến'), item('Trung', 'Trung'), item('Tuan|Tuấn', 'Tuấn'), item('Tung|Tùng', 'Tùng'), item('Viet|Việt', 'Việt'), item('Vinh', 'Vinh'),
  ],
  female: [
    item('Anh|Ánh', 'Ánh'), item('Chau|Châu', 'Châu'), item('Dung', 'Dung'), item('Giang', 'Giang'), item('Ha|Hà', 'Hà'), item('Hang|Hằng', 'Hằng'),
    item('Hoa', 'Hoa'), item('Huong|Hương', 'Hương'), item('Lan', 'Lan'), item('Linh', 'Linh'), item('Mai', 'Mai'), item('My|Mỹ', 'Mỹ'),
    item('Nga', 'Nga'), item('Ngoc|Ngọc', 'Ngọc'), item('Nhung', 'Nhung'), item('Phuong|Phương', 'Phương'), item('Quynh|Quỳnh', 'Quỳnh'),
    item('Thao|Thảo', 'Thảo'), item('Thu', 'Thu'), item('Trang', 'Trang'), item('Tuyet|Tuyết', 'Tuyết'), item('Van|Vân', 'Vân'), item('Yen|Yến', 'Yến'),
  ],
}

// Tigrinya names: a child's second name is the father's given name, the third the grandfather's.
export const ERITREAN = {
  male: [
    item('Yonas|Jonas|Yonass', 'ዮናስ'), item('Filmon|Philemon|Filimon', 'ፊልሞን'), item('Merhawi|Mehrawi', 'መርሃዊ'), item('Tesfalem|Tesfaalem', 'ተስፋኣለም'),
    item('Abel|Abeel', 'ኣቤል'), item('Daniel|Danyel', 'ዳንኤል'), item('Kidane|Kidan', 'ኪዳነ'), item('Samuel|Samiel', 'ሳሙኤል'), item('Semere|Semre', 'ሰመረ'),
    item('Biniam|Biniyam|Binyam', 'ቢንያም'), item('Robel|Robiel', 'ሮቤል'), item('Habtom|Habtu', 'ሃብቶም'), item('Dawit|Dawid', 'ዳዊት'), item('Efrem|Ephrem', 'ኤፍሬም'),
    item('Amanuel|Emmanuel', 'ኣማኑኤል'), item('Henok|Enoch', 'ሄኖክ'), item('Mussie|Musie', 'ሙሴ'), item('Natnael|Nathnael', 'ናትናኤል'), item('Yemane|Yemaneh', 'የማነ'),
    item('Teklit|Teklít', 'ተኽሊት'), item('Mikiele|Mikael', 'ሚኪኤለ'), item('Aron|Aaron', 'ኣሮን'), item('Medhanie|Medhane', 'መድሃኔ'), item('Simon|Semon', 'ስምኦን'),
  ],
  female: [
    item('Helen|Hellen', 'ሄለን'), item('Selam|Salam', 'ሰላም'), item('Senait|Senayt', 'ሰናይት'), item('Lidya|Lydia', 'ሊድያ'), item('Ruta|Rutta', 'ሩታ'),
    item('Saba|Sabah', 'ሳባ'), item('Yordanos|Yordanose', 'ዮርዳኖስ'), item('Hiwet|Hiwot', 'ሕይወት'), item('Feven|Fiyori', 'ፌቨን'), item('Mebrat|Mebrahtu', 'መብራት'),
    item('Winta|Wintana', 'ዊንታ'), item('Eden|Edin', 'ኤደን'), item('Luwam|Luam', 'ሉዋም'), item('Milen|Millen', 'ሚለን'), item('Rahel|Rachel', 'ራሄል'),
  ],
  fathers: [
    item('Tesfay|Tesfaye|Tesfai', 'ተስፋይ', 3), item('Gebremariam|Ghebremariam|Gebre Mariam|Gebremaryam', 'ገብረማርያም', 2), item('Tekle|Teklay|Teklai', 'ተኽለ', 2),
    item('Haile|Hayle', 'ሃይለ', 2), item('Berhe|Berhane', 'በርሀ', 2), item('Kidane|Kidan', 'ኪዳነ'), item('Mehari|Mhari', 'መሓሪ'), item('Ghirmay|Girmay', 'ግርማይ'),
    item('Tsegay|Tsegai|Tsegaye', 'ጸጋይ'), item('Yohannes|Yohanes|Johannes', 'ዮሃንስ'), item('Woldu|Weldu', 'ወልዱ'), item('Abraha|Abrha', 'ኣብርሃ'),
    item('Negash|Negassi', 'ነጋሽ'), item('Asmerom|Asmeron', 'ኣስመሮም'), item('Habte|Habtey', 'ሃብተ'), item('Weldemichael|Woldemichael|Welde Michael', 'ወልደሚካኤል'),
    item('Gebrehiwet|Ghebrehiwet', 'ገብረሕይወት'), item('Tewelde|Teweldemedhin', 'ተወልደ'), item('Araya|Araia', 'ዓራያ'), item('Ghebru|Gebru', 'ገብሩ'),
    item('Hagos|Hagoss', 'ሓጎስ'), item('Mebrahtu|Mebrahtom', 'መብራህቱ'), item('Zerai|Zeray', 'ዘርኣይ'), item('Okbazghi|Okbagabir', 'ዑቕባዝጊ'),
  ],
}

// Sudanese (and Arabic) names: given name, father's name, grandfather's name.
export const SUDANESE = {
  male: [
    item('Mohammed|Muhammad|Mohamed|Mohammad|Mohamad', 'محمد', 6), item('Ahmed|Ahmad', 'أحمد', 3), item('Omar|Umar', 'عمر', 2), item('Osman|Othman|Uthman', 'عثمان', 2),
    item('Ibrahim|Ebrahim', 'إبراهيم', 2), item('Abdelrahman|Abdulrahman|Abdel Rahman|Abd al-Rahman|Abdirahman', 'عبد الرحمن', 2), item('Hassan|Hasan', 'حسن', 2),
    item('Hussein|Hussain|Husain', 'حسين', 2), item('Mustafa|Mustapha|Mostafa', 'مصطفى'), item('Khalid|Khaled', 'خالد'), item('Yousif|Yusuf|Yousef', 'يوسف'),
    item('Adam|Adem', 'آدم', 2), item('Ali', 'علي', 2), item('Musa|Mousa', 'موسى'), item('Ismail|Ismael', 'إسماعيل'), item('Abdallah|Abdullah|Abdalla', 'عبد الله', 2),
    item('Yahya|Yahia', 'يحيى'), item('Suleiman|Sulaiman|Suliman', 'سليمان'), item('Idris|Idriss', 'إدريس'), item('Bashir|Basheer', 'بشير'),
    item('Elsadig|Al-Sadiq|Alsadig', 'الصادق'), item('Mubarak|Mobarak', 'مبارك'), item('Hamid|Hamed', 'حامد'), item('Babiker|Babikir', 'بابكر'),
  ],
  female: [
    item('Fatima|Fatma|Fatimah', 'فاطمة', 3), item('Amna|Amina|Aminah', 'آمنة', 2), item('Mariam|Maryam|Meriam', 'مريم', 2), item('Aisha|Aysha|Aicha', 'عائشة'),
    item('Hawa|Hawaa', 'حواء'), item('Zainab|Zaynab|Zeinab', 'زينب'), item('Sara|Sarah', 'سارة'), item('Huda|Hoda', 'هدى'), item('Nour|Nur|Noor', 'نور'),
    item('Salma|Selma', 'سلمى'), item('Khadija|Khadiga|Khadijah', 'خديجة'), item('Rania|Raniya', 'رانيا'), item('Asia|Asiya', 'آسيا'),
  ],
}

export const AFGHAN = {
  male: [
    item('Mohammad|Mohammed|Muhammad|Mohamad', 'محمد', 5), item('Ahmad|Ahmed', 'احمد', 2), item('Ali', 'علی', 2), item('Hamid|Hameed', 'حمید'),
    item('Javed|Jawed|Javid', 'جاوید'), item('Karim|Kareem', 'کریم'), item('Mahmood|Mahmud|Mahmoud', 'محمود'), item('Naveed|Navid|Nawid', 'نوید'),
    item('Rahim|Raheem', 'رحیم'), item('Sami|Samiullah', 'سمیع'), item('Wahid|Vahid|Waheed', 'وحید'), item('Zabihullah|Zabiullah', 'ذبیح الله'),
    item('Farid|Fareed', 'فرید'), item('Habib|Habibullah', 'حبیب'), item('Nasir|Naseer', 'ناصر'), item('Bilal|Belal', 'بلال'), item('Ismail|Esmail', 'اسماعیل'),
    item('Jamshid|Jamshed', 'جمشید'), item('Sohrab|Sohrob', 'سهراب'), item('Omid|Umid', 'امید'), item('Rashid|Rasheed', 'رشید'), item('Sharif|Shareef', 'شریف'),
    item('Abdul Wahid|Abdulwahid', 'عبدالواحد'), item('Abdul Karim|Abdulkarim', 'عبدالکریم'), item('Noorullah|Nurullah', 'نورالله'), item('Ezatullah|Izatullah', 'عزت الله'),
  ],
  female: [
    item('Farzana|Farzaneh', 'فرزانه'), item('Maryam|Mariam', 'مریم'), item('Zahra|Zehra', 'زهرا'), item('Fatima|Fatema', 'فاطمه'), item('Shabnam|Shabnum', 'شبنم'),
    item('Nazia|Naziya', 'نازیه'), item('Parwana|Parvana', 'پروانه'), item('Mursal|Morsal', 'مرسل'), item('Sodaba|Sudaba', 'سودابه'),
  ],
  family: [
    item('Ahmadzai|Ahmadzay', 'احمدزی', 2), item('Khan', 'خان', 3), item('Popal|Popalzai', 'پوپل'), item('Sultani|Soltani', 'سلطانی'), item('Hakimi|Hakeemi', 'حکیمی'),
    item('Rahimi|Raheemi', 'رحیمی'), item('Karimi|Kareemi', 'کریمی'), item('Noori|Nuri', 'نوری'), item('Safi|Safie', 'صافی'), item('Stanikzai|Stanekzai', 'ستانکزی'),
    item('Mohammadi|Mohamadi', 'محمدی', 2), item('Haidari|Haideri|Hydari', 'حیدری'), item('Amiri|Ameeri', 'امیری'), item('Azizi|Azeezi', 'عزیزی'),
    item('Wardak|Wardag', 'وردک'), item('Hotak|Hotaki', 'هوتک'), item('Sadat|Saadat', 'سادات'), item('Hashimi|Hashemi', 'هاشمی'), item('Yousufzai|Yusufzai', 'یوسفزی'),
  ],
}

export const SYRIAN = {
  male: [
    item('Mohammed|Muhammad|Mohamed|Mohammad', 'محمد', 4), item('Ahmad|Ahmed', 'أحمد', 2), item('Omar|Umar', 'عمر', 2), item('Khaled|Khalid', 'خالد'),
    item('Yousef|Yusuf|Youssef', 'يوسف'), item('Hamza|Hamzah', 'حمزة'), item('Ali', 'علي', 2), item('Hassan|Hasan', 'حسن'), item('Mahmoud|Mahmud', 'محمود'),
    item('Ibrahim|Ebrahim', 'إبراهيم'), item('Abdullah|Abdallah', 'عبد الله'), item('Bilal|Belal', 'بلال'), item('Karim|Kareem', 'كريم'), item('Samer|Sameer', 'سامر'),
    item('Rami|Ramy', 'رامي'), item('Tarek|Tariq|Tarik', 'طارق'), item('Zaid|Zayd|Zeid', 'زيد'), item('Anas|Annas', 'أنس'),
  ],
  female: [
    item('Fatima|Fatma', 'فاطمة', 2), item('Rama|Ramah', 'راما'), item('Lama|Lamah', 'لمى'), item('Nour|Noor', 'نور'), item('Sara|Sarah', 'سارة'),
    item('Yasmin|Yasmine|Jasmin', 'ياسمين'), item('Aya|Ayah', 'آية'), item('Rasha|Racha', 'رشا'), item('Hiba|Heba', 'هبة'), item('Dana|Danah', 'دانة'),
  ],
  family: [
    item('Al-Hassan|Al Hassan|Alhassan|Hassan', 'الحسن', 2), item('Al-Ahmad|Al Ahmad|Alahmad', 'الأحمد', 2), item('Khalil|Khaleel', 'خليل'),
    item('Haddad|Hadad', 'حداد'), item('Darwish|Darwich|Derwish', 'درويش'), item('Hamdan|Hamdane', 'حمدان'), item('Suleiman|Sulaiman|Sleiman', 'سليمان'),
    item('Al-Ali|Al Ali|Alali', 'العلي'), item('Mansour|Mansur', 'منصور'), item('Nasser|Nasser|Naser', 'ناصر'), item('Othman|Osman', 'عثمان'),
    item('Saleh|Salih', 'صالح'), item('Yassin|Yasin|Yaseen', 'ياسين'), item('Al-Khatib|Alkhatib|Khatib', 'الخطيب'), item('Kassem|Qasim|Kasim', 'قاسم'),
    item('Abdo|Abdou|Abdu', 'عبدو'), item('Sabbagh|Sabagh', 'صباغ'), item('Al-Masri|Almasri|Masri', 'المصري'), item('Hijazi|Hejazi', 'حجازي'),
  ],
}

// ------------------------------------------------------------------------------------------- the long tails
// Real name distributions have long tails: beyond the common names above, many names each carried by few
// people. These lists add them, with transliteration variants made by the usual rules.

/** Spellings a transliterated name is commonly given (Yousef, Yusuf; Tesfay, Tesfai; Hamid, Hameed). */
export function transliterationVariants(name: string): string[] {
  const variants = new Set<string>()
  const rules: [RegExp, string][] = [
    [/ee/, 'i'], [/i(?=[^aeiou]*$)/, 'ee'], [/ou/, 'u'], [/u/, 'ou'], [/y$/, 'i'], [/ai$/, 'ay'], [/e$/, ''], [/([^aeiou])$/, '$1e'],
    [/ph/, 'f'], [/k/, 'q'], [/q/, 'k'], [/([bdklmnrst])([aeiou])/, '$1$1$2'], [/h$/, ''], [/a$/, 'ah'], [/o/, 'u'], [/gh/, 'g'],
  ]
  for (const [pattern, replacement] of rules) {
    const lower = name.toLowerCase()
    if (!pattern.test(lower)) continue
    const changed = lower.replace(pattern, replacement)
    if (changed !== lower && changed.length >= 3) variants.add(changed.charAt(0).toUpperCase() + changed.slice(1))
    if (variants.size >= 2) break
  }
  return [...variants]
}

/** Names ordered from common to rare, weighted by a Zipf-like law; with spelling variants when asked. */
export function tail(names: string, variants: boolean, scale = 1): NameItem[] {
  return names
    .trim()
    .split(/\s+/)
    .map((name, rank) => ({
      spellings: variants ? [name.replace(/_/g, ' '), ...transliterationVariants(name)] : [name.replace(/_/g, ' ')],
      weight: scale / (rank + 2) ** 0.7,
    }))
}

export const BRITISH_TAIL = {
  male: tail(`Aaron Adam Adrian Aiden Alfie Archie Arthur Ashley Ben Blake Brandon Cameron Carl Casey Charles Christian Cody Cole
    Craig Damian Darren David Dean Declan Dominic Edward Elliot Ellis Evan Finley Finn Frankie Frederick Gabriel Gavin Harley Harrison
    Harvey Hayden Henry Hugo Isaac Jacob Jake Jason Jay Jenson Jesse Joel Jonathan Jude Kayden Kieran Kyron Leo Lewis Logan Louie
    Luca Lucas Luke Marcel Mark Martin Max Miles Morgan Nathaniel Neil Noah Oscar Owen Patrick Paul Peter Reuben Riley Robbie Ronnie
    Rory Rowan Sean Sebastian Shane Simon Spencer Stanley Stephen Taylor Teddy Theo Toby Travis Troy Vincent Wayne Zach Zain Zak`, false, 0.6),
  female: tail(`Abigail Alana Alexandra Alice Alicia Alisha Amelie Amy Anna Annabel Aria Ashleigh Bethany Bonnie Brooke Caitlin Carly
    Cerys Chantelle Charley Ciara Darcey Destiny Eden Eleanor Elise Eliza Ella Eloise Elsie Emma Erin Esme Eve Evie Faith Felicity
    Florence Francesca Freya Georgia Gemma Harriet Heidi Imogen India Isabel Isabella Isobel Jasmine Jodie Kayla Kelsey Kirsty Lacey
    Lara Layla Leila Lexi Lily Lola Louise Lucia Maddison Maisie Maria Martha Matilda Maya Molly Naomi Natalie Nicole Paige Phoebe
    Poppy Rachel Rebekah Rose Rosie Ruby Samantha Scarlett Sienna Skye Summer Tegan Tilly Victoria Willow Zara Zoe`, false, 0.6),
  family: tail(`Abbott Akhtar Ashton Atkinson Austin Bailey Ball Banks Barker Barnes Barrett Bates Baxter Begum Bell Berry Bird Bishop
    Black Booth Bowen Boyle Bradley Brady Brooks Burke Burns Butler Byrne Cameron Carr Chambers Chapman Charlton Clark Cole Coleman
    Connolly Conway Cross Cunningham Dale Dawson Day Dean Dixon Doherty Douglas Doyle Duffy Duncan Dunn Elliott Farrell Fisher Ford
    Foster Fox Francis Fraser Gallagher Gardner George Gill Goodwin Graham Grant Gray Greenwood Hamilton Hanson Hart Harvey Hayes
    Henderson Higgins Hudson Hunt Hussain Iqbal Jenkins Johnston Jordan Kaur Kerr Knight Lamb Lane Lawrence Lawson Lord Lowe Lynch
    Mahmood Mann Marsh Mason Matthews McCarthy McKenzie Mills Moran Murray Nash Newman Nicholson Norris Obi Oconnor Osborne Owen
    Palmer Parry Payne Pearce Pearson Perry Porter Powell Quinn Rahman Read Reid Reynolds Rhodes Riley Robertson Rogers Rose Ross
    Russell Ryan Saunders Sharp Sheppard Short Skinner Slater Spencer Stevens Stewart Stone Sullivan Swift Tucker Wade Walsh Walters
    Warren Watts Webb Welch Wells West Wheeler Whitehead Wilkinson Williamson Willis Woods Yates`, false, 0.5),
}

export const ALBANIAN_TAIL = {
  male: tail(`Agron Albert Aleksandër Altin Amarildo Arjan Armand Arsen Artan Astrit Bardhyl Bekim Besart Bujar Dajan Dorian Edison
    Eduart Elvis Enea Enis Erald Eris Fatmir Flamur Fran Genc Gezim Granit Hekuran Isuf Jetmir Kujtim Laert Leutrim Lorenc Lulzim
    Mentor Migen Mikel Nertil Orges Petrit Qemal Rezart Sabri Shpetim Sidrit Tedi Valon Visar Ylli Zamir`, false, 0.7),
  female: tail(`Adelina Albana Alketa Anila Arbana Brikena Diana Elona Entela Erisa Esmeralda Flutura Greta Irena Kaltrina Klajdi
    Lindita Luljeta Manjola Mirela Oriana Rina Silva Teuta Valbona Vjosa`, false, 0.7),
  family: tail(`Ahmeti Ajdini Aliaj Avdiu Bajrami Balla Bardhi Bejko Bushati Cami Daci Demiri Dibra Dushku Elezi Fejzo Gega Gjata
    Gjeka Gjokaj Haxhiu Hasani Hysenaj Ibrahimi Isufi Jakupi Kaci Kapllani Kastrati Koci Kurti Laci Lami Leskaj Lushi Malaj Mehmeti
    Mucaj Mustafaj Ndreu Nushi Osmani Pajaziti Pepa Rexhepi Rustemi Sadiku Selimi Shala Shkodra Sinani Spahiu Tafa Tahiri Topalli
    Ujkaj Vokshi Xhaferi Ymeri Zefi Zeqiri Zhupa`, false, 0.7),
}

export const VIETNAMESE_TAIL = {
  male: tail(`Bach Canh Chien Chinh Cong Dai Danh Dao Dien Dinh Doan Dong Du Giang Hau Hien Hiep Hoa Hoan Hoc Hop Khai Khang Khiem
    Khoi Lam Lap Loc Loi Luong Nhan Nhat Ninh Phat Phi Phuoc Quy Sang Sinh Tam Tan Thach Thai Thinh Tho Thong Thuan Tin Toan Trieu
    Trong Tu Tuong Uy Vu Vuong Xuan`, false, 0.7),
  female: tail(`Bich Cam Diem Diep Doan Duyen Gam Hanh Hau Hien Hoai Hong Hue Khanh Lieu Loan Ly Mien Mo Ngan Nhi Nhu Oanh Phung
    Quyen Suong Tam Tham Thanh Thoa Thom Thuy Tien Trinh Tuyen Uyen Vy Xuan`, false, 0.7),
  middle: tail(`Gia Bao Dinh Hoang Khac Manh Nhu Phuong Quang Trong Tuan Xuan`, false, 0.5),
}

/** Tigrinya compound names: a root and a blessing or a name of God (Gebre-Mariam, Habte-Mikael). */
function tigrinyaCompounds(): NameItem[] {
  const roots = ['Gebre', 'Habte', 'Tesfa', 'Wolde', 'Haile', 'Kidane', 'Zere', 'Berhane', 'Tekle', 'Fikre', 'Amde', 'Weldu', 'Ghirma', 'Tsegai', 'Mehari', 'Yemane', 'Negusse', 'Bereket']
  const ends = ['mariam', 'mikael', 'selassie', 'giorgis', 'hiwet', 'yesus', 'medhin', 'tsion', 'egziabher', 'kristos', 'amlak', 'gabir', 'ab', 'zghi', 'slasie', 'tensae']
  const items: NameItem[] = []
  let rank = 0
  for (const root of roots) {
    for (const end of ends) {
      const name = `${root}${end}`
      const spellings = [name, `${root} ${end.charAt(0).toUpperCase()}${end.slice(1)}`]
      if (root.startsWith('Ge')) spellings.push(`Ghe${name.slice(2)}`)
      if (root.startsWith('Wo')) spellings.push(`We${name.slice(2)}`)
      if (end.includes('ia')) spellings.push(name.replace('ia', 'ya'))
      items.push({ spellings, weight: 0.6 / (rank++ % 40 + 2) ** 0.7 })
    }
  }
  return items
}

export const ERITREAN_TAIL = {
  male: tail(`Abraham Adonay Alem Amanuel Anghesom Asmerom Awet Bereket Berihu Biniyam Dawit Eyob Ezana Fikru Filimon Fitsum Gedion
    Goitom Habtom Hailu Isaias Kibrom Kisanet Meron Michael Mogos Nahom Nebiat Robiel Ruth Samson Senay Solomon Teame Tedros Tekie
    Temesgen Tesfit Tewolde Tsegezab Yafet Yared Yemane Yohannes Yosief Zekarias`, true, 0.7),
  female: tail(`Aden Aklilu Almaz Azieb Bisrat Eyerusalem Fana Filmona Freweini Hanna Kidist Lula Merhawit Meseret Mihret Nardos
    Nebiat Rigat Rozina Segen Simret Tirhas Tsega Yohana`, true, 0.7),
  fathers: tigrinyaCompounds(),
}

/** Arabic "servant of God" names: Abd with one of the names of God, in the spellings officers meet. */
function abdCompounds(): NameItem[] {
  const names = ['Rahman', 'Rahim', 'Aziz', 'Karim', 'Majid', 'Hamid', 'Wahab', 'Latif', 'Qadir', 'Jalil', 'Moneim', 'Razig', 'Halim', 'Basit', 'Salam', 'Malik', 'Fattah', 'Ghani', 'Hadi', 'Baqi', 'Mutalib', 'Wahid', 'Nasir', 'Rauf', 'Hafiz', 'Jabbar', 'Ati', 'Mahmoud', 'Gadir', 'Azim']
  return names.map((name, rank) => ({
    spellings: [`Abdel${name.toLowerCase()}`, `Abdul${name.toLowerCase()}`, `Abdel ${name}`, `Abd al-${name}`, `Abdi${name.toLowerCase()}`],
    weight: 0.8 / (rank + 2) ** 0.7,
  }))
}

export const ARABIC_TAIL = {
  male: [
    ...tail(`Abbas Abdelaziz Adil Akram Amin Amir Anwar Ashraf Ayman Ayoub Badr Bakri Basil Dawood Elfatih Emad Fadl Faisal Fares
      Fathi Fuad Ghazi Hafiz Hamza Haroun Hashim Haydar Hisham Imad Issa Jaafar Jaber Jalal Kamal Khalifa Lutfi Mahdi Majdi Malik
      Mansour Marwan Mazin Mohsin Muhannad Munir Murtada Nabil Nadir Naji Nasr Nizar Omer Qasim Rabie Rashid Riyad Saad Sabir Sadiq
      Safwan Salah Salih Sami Sharif Sidig Tahir Taha Talal Tamer Tarig Waleed Wael Yasir Yassin Yunus Zakaria Zuhair`, true, 0.7),
    ...abdCompounds(),
  ],
  female: tail(`Afaf Ahlam Alaa Amal Amani Asma Azza Dalia Duaa Eman Fadwa Ghada Hadeel Hajar Hanan Hind Ibtisam Iman Inas Israa
    Layla Lina Maha Manal Marwa Mona Najat Nawal Nuha Rabab Rasha Reem Rihab Safa Samah Samira Sana Shaima Suad Tahani Wafa Widad
    Yusra Zahra`, true, 0.7),
  family: tail(`Abdelrahim Abdulkarim Abu-Bakr Adam Alawi Al-Amin Al-Bashir Al-Hussein Al-Nour Al-Tayeb Awad Babikir Badawi Bilal
    Dafallah Elamin Elhag Elnour Eltahir Fadul Gaafar Hamdan Haroun Ibrahim Idris Ismail Jumaa Khalil Mahgoub Mekki Musa Nasr Omer
    Osman Saeed Salih Shams Siddig Suliman Taha Yagoub Yousif Zein`, true, 0.7),
}

export const AFGHAN_TAIL = {
  male: tail(`Abdullah Aimal Ajmal Ali_Reza Amanullah Arash Arif Asadullah Atiqullah Aziz Baryalai Basir Daud Ehsan Elias Fardin
    Fawad Ghulam Gul Hakim Haroon Hasib Hayatullah Hekmatullah Hussain Idrees Imran Inayatullah Jawad Kabir Khalid Khalil Latif
    Mahdi Mansoor Masood Matiullah Mirwais Mujtaba Murtaza Mustafa Najib Najibullah Nasrullah Nawid Nazir Obaidullah Qasim Qudrat
    Rafi Rahmatullah Rasool Sadiq Safiullah Saifullah Sajad Shafiq Shakib Shams Sherzad Sohail Tamim Wais Yama Yasin Zaher Zalmai
    Ziaullah Zubair`, true, 0.7),
  female: tail(`Anisa Arezo Fereshta Freshta Hadia Hasina Homa Khatera Laila Lina Madina Malalai Marzia Masooma Nadia Nasrin Nilofar
    Roya Sahar Samira Shakila Shukria Sima Tahmina Zarghona Zohra`, true, 0.7),
  family: tail(`Achakzai Afghan Afridi Ahmadi Alokozay Andar Ansari Arsala Atmar Barakzai Durrani Ghani Ghilzai Habibi Hamidi Jalali
    Kakar Kohistani Lodin Mangal Mohmand Naderi Nazari Niazi Nuristani Omari Qaderi Rahmani Rasuli Sahak Samadi Shinwari Sharifi
    Tajik Tokhi Wahidi Waziri Zadran Zaheer Zazai`, true, 0.7),
}

/**
 * Rare surnames made the way the real ones were (a root and an ending: Ash-ford, Black-well; Gjon-aj,
 * Lek-aj), each carried by few people. `share` is the part of the population that carries one of them, the
 * rest carry a name of `common`, whose weights are scaled down to the remaining share.
 */
export function withRareSurnames(common: NameItem[], roots: string[], ends: string[], share: number): NameItem[] {
  const rare: NameItem[] = []
  for (const root of roots) for (const end of ends) rare.push({ spellings: [`${root}${end}`], weight: 1 })
  const commonTotal = common.reduce((sum, entry) => sum + (entry.weight ?? 1), 0)
  const scale = ((1 - share) / commonTotal) * (rare.length / share)
  return [...common.map((entry) => ({ ...entry, weight: (entry.weight ?? 1) * scale })), ...rare]
}

/**
 * British surnames: Smith is carried by about 1.3% of people in England and Wales and the commonest few
 * hundred surnames by about a third; the rest are spread over tens of thousands of rarer names.
 */
export const BRITISH_RARE = {
  roots: `Ash Black Brad Bram Brom Cal Chad Cran Dal Elm Fair Farn Hal Hart Hay Lang Lock Mar Mid Mill Mor New North Oak Red Rid Rom
    Shel South Stan Thorn Wake West Whit Wind Wood Ald Bar Bel Bur Cart Ed Hol Kings Pen Sal Stock Tan Wel`.trim().split(/\s+/),
  ends: 'ley ton ford field worth wood well ham by shaw stone more croft hurst wick bury dale ridge combe hill'.split(' '),
}

/** Albanian surnames: from a forefather's name with -aj, -i, -ku, -ja, -llari (Gjonaj, Lekaj, Marku). */
export const ALBANIAN_RARE = {
  roots: `Gjon Lek Pal Prek Nik Mark Ded Gjok Ndre Zef Kol Pjet Tom Gjerg Mirash Prend Frrok Marash Ndoc Lul Bib Vuk Zog Bardh
    Kuq Zen Rexh Haxh Sel Shaban Ram Hasan Ahmet Bajram Qazim Dul Must Sul Ismajl Jashar`.trim().split(/\s+/),
  ends: ['aj', 'i', 'ku', 'ja', 'llari'],
}
